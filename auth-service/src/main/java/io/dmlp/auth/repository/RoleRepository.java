package io.dmlp.auth.repository;

import io.dmlp.auth.domain.Role;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class RoleRepository implements PanacheRepositoryBase<Role, Long> {

    public Uni<Role> findByName(UUID tenantId, String name) {
        return find("tenantId = ?1 and name = ?2", tenantId, name).firstResult();
    }

    public Uni<List<Role>> listIn(UUID tenantId) {
        return find("tenantId", Sort.by("id"), tenantId).list();
    }

    /** A page of the roles a user holds, oldest first (the order {@link #listIn} lists a tenant's roles in). */
    public Uni<List<Role>> heldBy(long userId, int skip, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                "select r.* from role r join user_role ur on ur.role_id = r.id where ur.user_id = ?1"
                        + " order by r.id offset ?2 limit ?3", Role.class)
                .setParameter(1, userId).setParameter(2, skip).setParameter(3, limit).getResultList());
    }

    public Uni<Long> countHeldBy(long userId) {
        return getSession().chain(session -> session.createNativeQuery(
                "select count(*) from user_role where user_id = ?1", Long.class)
                .setParameter(1, userId).getSingleResult());
    }

    public Uni<Boolean> grant(long roleId, long permissionId) {
        return getSession().chain(session -> session.createNativeQuery(
                "insert into role_permission (role_id, permission_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, roleId).setParameter(2, permissionId).executeUpdate()).map(n -> n == 1);
    }

    public Uni<Boolean> revoke(long roleId, long permissionId) {
        return getSession().chain(session -> session.createNativeQuery(
                "delete from role_permission where role_id = ?1 and permission_id = ?2")
                .setParameter(1, roleId).setParameter(2, permissionId).executeUpdate()).map(n -> n == 1);
    }
}
