package io.dmlp.auth.repository;

import io.dmlp.auth.domain.Permission;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class PermissionRepository implements PanacheRepositoryBase<Permission, Long> {

    public Uni<Permission> findByName(UUID tenantId, String name) {
        return find("tenantId = ?1 and name = ?2", tenantId, name).firstResult();
    }

    /** The permissions a role grants, by name. */
    public Uni<List<Permission>> grantedBy(long roleId) {
        return getSession().chain(session -> session.createNativeQuery("select p.* from permission p"
                + " join role_permission rp on rp.permission_id = p.id where rp.role_id = ?1 order by p.name",
                Permission.class).setParameter(1, roleId).getResultList());
    }

    public Uni<List<Permission>> listIn(UUID tenantId) {
        return find("tenantId", Sort.by("name"), tenantId).list();
    }
}
