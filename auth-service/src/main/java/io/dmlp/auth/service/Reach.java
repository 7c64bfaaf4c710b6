package io.dmlp.auth.service;

import io.dmlp.auth.domain.Permission;
import io.dmlp.auth.domain.User;
import io.dmlp.auth.repository.PermissionRepository;
import io.dmlp.auth.repository.UserRepository;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

/**
 * What a caller may act on: a user or a role holding a right the caller lacks is out of its reach (403), so no
 * one can grant, assign, reset or deactivate their way to more than they hold. Rights are the catalogue
 * permissions ({@code io.dmlp.common.security.Permission}); {@code custom:} ones are enforced by nothing, so every
 * role manager of the tenant reaches them. Only the platform administrator reaches a platform administrator.
 */
@ApplicationScoped
public class Reach {

    private final UserRepository users;
    private final PermissionRepository permissions;

    public Reach(UserRepository users, PermissionRepository permissions) {
        this.users = users;
        this.permissions = permissions;
    }

    /** 403 unless the caller holds every right {@code user} holds. */
    public Uni<Void> requireUser(Caller caller, User user) {
        if (caller.isPlatformAdmin()) {
            return Uni.createFrom().voidItem();
        }
        if (user.platformAdmin) {
            return Uni.createFrom().failure(new PermissionDeniedException(
                    "Only the platform administrator manages the platform administrator."));
        }
        return users.permissionNames(user.id).invoke(held -> requireHolds(caller, held, "User " + user.id))
                .replaceWithVoid();
    }

    /** 403 unless the caller holds every right the role grants. */
    public Uni<Void> requireRole(Caller caller, long roleId) {
        if (caller.isPlatformAdmin()) {
            return Uni.createFrom().voidItem();
        }
        return permissions.grantedBy(roleId).invoke(granted -> requireHolds(caller,
                granted.stream().map(p -> p.name).toList(), "Role " + roleId)).replaceWithVoid();
    }

    /** 403 unless the caller holds the permission (to grant or revoke it). */
    public void requirePermission(Caller caller, Permission permission) {
        if (!caller.isPlatformAdmin()) {
            requireHolds(caller, List.of(permission.name), "Permission " + permission.id);
        }
    }

    private static void requireHolds(Caller caller, Collection<String> rights, String holder) {
        List<String> lacking = rights.stream().filter(io.dmlp.common.security.Permission::isCatalogue)
                .filter(right -> !caller.permissions().contains(right)).sorted().toList();
        if (!lacking.isEmpty()) {
            throw new PermissionDeniedException(holder + " holds " + String.join(", ", lacking)
                    + ", which you do not hold: it is out of your reach.");
        }
    }
}
