package io.dmlp.auth.service;

import io.dmlp.auth.domain.User;
import io.dmlp.auth.event.AuthEvents;
import io.dmlp.auth.repository.RoleRepository;
import io.dmlp.auth.repository.TenantRepository;
import io.dmlp.auth.repository.UserRepository;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Users: creation, reading, activation, role membership and passwords. Changing a user needs the user within the
 * caller's {@link Reach}; taking rights away (deactivation, a reset, a removed role) ends the user's sessions.
 */
@ApplicationScoped
public class UserService {

    /** What a new user is made of (validated by the resource). */
    public record NewUser(String tenantId, String firstName, String lastName, String email, String username,
            String password) {
    }

    public record Page(List<User> users, long count) {
    }

    /** A page of the roles a user holds, and how many they hold in all. */
    public record RolesPage(List<RbacService.RoleView> roles, long total) {
    }

    private final UserRepository users;
    private final TenantRepository tenants;
    private final RoleRepository roles;
    private final RbacService rbac;
    private final SessionEnding sessionEnding;
    private final Reach reach;
    private final PasswordHasher hasher;
    private final AuthEvents events;

    public UserService(UserRepository users, TenantRepository tenants, RoleRepository roles, RbacService rbac,
            SessionEnding sessionEnding, Reach reach, PasswordHasher hasher, AuthEvents events) {
        this.users = users;
        this.tenants = tenants;
        this.roles = roles;
        this.rbac = rbac;
        this.sessionEnding = sessionEnding;
        this.reach = reach;
        this.hasher = hasher;
        this.events = events;
    }

    @WithTransaction
    public Uni<User> create(Caller caller, NewUser request) {
        caller.require(Permission.MANAGE_USERS);
        UUID tenantId = TenantScope.forWrite(caller, request.tenantId());
        PasswordHasher.checkPolicy(request.username(), request.password());
        return tenants.findById(tenantId)
                .onItem().ifNull().failWith(() -> new UnprocessableEntityException(
                        "Tenant " + tenantId + " does not exist."))
                .chain(() -> users.existsByUsernameOrEmail(request.username(), request.email()))
                .chain(taken -> taken
                        ? Uni.createFrom().failure(new ConflictException(
                                "A user with this username or email already exists."))
                        : hasher.hash(request.password()))
                .chain(hash -> {
                    User user = new User();
                    user.tenantId = tenantId;
                    user.username = request.username();
                    user.email = request.email();
                    user.firstName = request.firstName();
                    user.lastName = request.lastName();
                    user.passwordHash = hash;
                    user.createdAt = LoginService.now();
                    user.modifiedAt = user.createdAt;
                    return users.persist(user);
                })
                .call(events::userCreated);
    }

    @WithTransaction
    public Uni<Page> list(Caller caller, String tenantFilter, int skip, int limit) {
        caller.require(Permission.MANAGE_USERS);
        UUID tenantId = TenantScope.forRead(caller, tenantFilter);
        return users.page(tenantId, skip, limit)
                .chain(page -> users.countIn(tenantId).map(count -> new Page(page, count)));
    }

    /** A user the caller may see: themself, or anyone of their tenant with can_manage_users. */
    @WithTransaction
    public Uni<User> get(Caller caller, long userId) {
        if (caller.userId() != userId) {
            caller.require(Permission.MANAGE_USERS);
        }
        return visible(caller, userId);
    }

    /**
     * A page of the roles a user holds, with what each grants: the user themself, or anyone of their tenant with
     * can_manage_roles (who assigns and removes them). Reading changes nothing, so the user's reach does not matter.
     */
    @WithSession
    public Uni<RolesPage> roles(Caller caller, long userId, int skip, int limit) {
        if (caller.userId() != userId) {
            caller.require(Permission.MANAGE_ROLES);
        }
        return visible(caller, userId)
                .chain(() -> roles.heldBy(userId, skip, limit))
                .chain(rbac::withPermissions)
                .chain(page -> roles.countHeldBy(userId).map(total -> new RolesPage(page, total)));
    }

    @WithTransaction
    public Uni<User> setActive(Caller caller, long userId, boolean active) {
        caller.require(Permission.MANAGE_USERS);
        if (!active && caller.userId() == userId) {
            throw new ConflictException("You cannot deactivate your own account.");
        }
        OffsetDateTime now = LoginService.now();
        return visible(caller, userId).call(user -> reach.requireUser(caller, user)).call(user -> {
            user.active = active;
            user.modifiedAt = now;
            return active ? Uni.createFrom().voidItem()
                    : sessionEnding.endSessionsOf(user.id, null, SessionEnding.Reason.USER_DEACTIVATED, now);
        });
    }

    @WithTransaction
    public Uni<List<String>> assignRole(Caller caller, long userId, long roleId) {
        caller.require(Permission.MANAGE_ROLES);
        return visible(caller, userId).call(user -> reach.requireUser(caller, user))
                .chain(user -> roles.findById(roleId)
                        .onItem().ifNull().failWith(() -> new ResourceNotFoundException(
                                "Role " + roleId + " not found."))
                        .call(role -> {
                            if (!role.tenantId.equals(user.tenantId)) {
                                throw new ResourceNotFoundException("Role " + roleId + " not found.");
                            }
                            return reach.requireRole(caller, roleId);
                        })
                        .chain(role -> users.addRole(userId, roleId).call(added -> added
                                ? events.roleAssigned(user, roleId, role.name) : Uni.createFrom().voidItem())))
                .chain(() -> users.roleNames(userId));
    }

    /** Takes a role away; the user's sessions end (but the caller's own), so no token keeps the role's rights. */
    @WithTransaction
    public Uni<List<String>> removeRole(Caller caller, long userId, long roleId) {
        caller.require(Permission.MANAGE_ROLES);
        return visible(caller, userId)
                .call(user -> reach.requireUser(caller, user))
                .chain(() -> users.removeRole(userId, roleId))
                .chain(removed -> removed
                        ? sessionEnding.endSessionsOf(userId, callerSession(caller), SessionEnding.Reason.ROLE_CHANGED,
                                LoginService.now())
                        : Uni.createFrom().failure(new ResourceNotFoundException(
                                "User " + userId + " does not hold role " + roleId + ".")))
                .chain(() -> users.roleNames(userId));
    }

    /**
     * Sets a new password: the user themself (proving the current one), or a holder of can_manage_users in the
     * same tenant who reaches the user. Ends the user's other sessions.
     */
    @WithTransaction
    public Uni<Void> resetPassword(Caller caller, String username, String newPassword, String currentPassword) {
        OffsetDateTime now = LoginService.now();
        return caller.visible(users.findByUsername(username), user -> user.tenantId,
                        "User '" + username + "' not found.")
                .chain(user -> {
                    boolean self = user.id == caller.userId();
                    Uni<Void> allowed;
                    if (self && !caller.has(Permission.MANAGE_USERS)) {
                        allowed = currentPassword == null
                                ? Uni.createFrom().failure(new UnprocessableEntityException(
                                        "Give your current password (current_password) to set a new one."))
                                : hasher.matches(currentPassword, user.passwordHash).invoke(ok -> {
                                    if (!ok) {
                                        throw new PermissionDeniedException("The current password is incorrect.");
                                    }
                                }).replaceWithVoid();
                    } else {
                        caller.require(Permission.MANAGE_USERS);
                        allowed = reach.requireUser(caller, user);
                    }
                    PasswordHasher.checkPolicy(user.username, newPassword);
                    UUID keep = self ? callerSession(caller) : null;
                    return allowed.chain(() -> hasher.hash(newPassword)).chain(hash -> {
                        user.passwordHash = hash;
                        user.modifiedAt = now;
                        return sessionEnding.endSessionsOf(user.id, keep, SessionEnding.Reason.PASSWORD_RESET, now);
                    });
                });
    }

    private Uni<User> visible(Caller caller, long userId) {
        return caller.visible(users.findById(userId), user -> user.tenantId, "User " + userId + " not found.");
    }

    private static UUID callerSession(Caller caller) {
        return UUID.fromString(caller.sessionId());
    }
}
