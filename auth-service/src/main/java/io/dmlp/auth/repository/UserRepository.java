package io.dmlp.auth.repository;

import io.dmlp.auth.domain.User;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class UserRepository implements PanacheRepositoryBase<User, Long> {

    public Uni<User> findByUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResult();
    }

    public Uni<Boolean> existsByUsernameOrEmail(String username, String email) {
        return count("lower(username) = lower(?1) or lower(email) = lower(?2)", username, email).map(n -> n > 0);
    }

    /** A page of users, oldest first; {@code tenantId} null means every tenant. */
    public Uni<List<User>> page(UUID tenantId, int skip, int limit) {
        var query = tenantId == null ? findAll(Sort.by("id")) : find("tenantId", Sort.by("id"), tenantId);
        return query.range(skip, skip + limit - 1).list();
    }

    public Uni<Long> countIn(UUID tenantId) {
        return tenantId == null ? count() : count("tenantId", tenantId);
    }

    /** The names of every permission the user holds through their roles. */
    public Uni<List<String>> permissionNames(long userId) {
        return getSession().chain(session -> session.createNativeQuery(
                "select distinct p.name from permission p"
                        + " join role_permission rp on rp.permission_id = p.id"
                        + " join user_role ur on ur.role_id = rp.role_id where ur.user_id = ?1 order by p.name",
                String.class).setParameter(1, userId).getResultList());
    }

    public Uni<List<String>> roleNames(long userId) {
        return getSession().chain(session -> session.createNativeQuery(
                "select r.name from role r join user_role ur on ur.role_id = r.id where ur.user_id = ?1"
                        + " order by r.name", String.class).setParameter(1, userId).getResultList());
    }

    /** @return true when the user did not have the role yet */
    public Uni<Boolean> addRole(long userId, long roleId) {
        return getSession().chain(session -> session.createNativeQuery(
                "insert into user_role (user_id, role_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, userId).setParameter(2, roleId).executeUpdate()).map(n -> n == 1);
    }

    public Uni<Boolean> removeRole(long userId, long roleId) {
        return getSession().chain(session -> session.createNativeQuery(
                "delete from user_role where user_id = ?1 and role_id = ?2")
                .setParameter(1, userId).setParameter(2, roleId).executeUpdate()).map(n -> n == 1);
    }
}
