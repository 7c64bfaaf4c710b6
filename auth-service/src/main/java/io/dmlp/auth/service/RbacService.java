package io.dmlp.auth.service;

import io.dmlp.auth.domain.Permission;
import io.dmlp.auth.domain.Role;
import io.dmlp.auth.domain.TenantScopedName;
import io.dmlp.auth.repository.PermissionRepository;
import io.dmlp.auth.repository.RoleRepository;
import io.dmlp.auth.repository.TenantRepository;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Roles, permissions and which role grants what, per tenant; and the roles every tenant starts with.
 * <p>
 * Every tenant holds the platform's permission catalogue ({@link io.dmlp.common.security.Permission}), seeded at its
 * creation. A tenant may add permissions of its own only as {@code custom:<name>} (1 to 64 letters, digits or
 * {@code _ . -}); any other name, a catalogue one included, is a 422. Granting or revoking needs the role and the
 * permission within the caller's {@link Reach}; a revoke ends the sessions of the role's holders.
 */
@ApplicationScoped
public class RbacService {

    /** A role with the permissions it grants. */
    public record RoleView(Role role, List<Permission> permissions) {
    }

    /** Seeded into every tenant: admin holds everything, viewer only reads. */
    static final Map<String, List<io.dmlp.common.security.Permission>> SEEDED_ROLES = seededRoles();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private final RoleRepository roles;
    private final PermissionRepository permissions;
    private final TenantRepository tenants;
    private final Reach reach;
    private final SessionEnding sessionEnding;

    public RbacService(RoleRepository roles, PermissionRepository permissions, TenantRepository tenants, Reach reach,
            SessionEnding sessionEnding) {
        this.roles = roles;
        this.permissions = permissions;
        this.tenants = tenants;
        this.reach = reach;
        this.sessionEnding = sessionEnding;
    }

    private static Map<String, List<io.dmlp.common.security.Permission>> seededRoles() {
        Map<String, List<io.dmlp.common.security.Permission>> seeded = new LinkedHashMap<>();
        seeded.put("admin", List.of(io.dmlp.common.security.Permission.values()));
        seeded.put("data_scientist", List.of(io.dmlp.common.security.Permission.VIEW,
                io.dmlp.common.security.Permission.MANAGE_TEMPLATES,
                io.dmlp.common.security.Permission.UPLOAD_DATASETS,
                io.dmlp.common.security.Permission.DELETE_DATASETS,
                io.dmlp.common.security.Permission.TRAIN_MODELS,
                io.dmlp.common.security.Permission.DELETE_MODELS,
                io.dmlp.common.security.Permission.RUN_INFERENCE,
                io.dmlp.common.security.Permission.VIEW_DATALAKE,
                io.dmlp.common.security.Permission.MANAGE_JOBS));
        seeded.put("viewer", List.of(io.dmlp.common.security.Permission.VIEW,
                io.dmlp.common.security.Permission.VIEW_DATALAKE));
        return seeded;
    }

    @WithTransaction
    public Uni<Role> createRole(Caller caller, String name, String tenant) {
        return createNamed(caller, name, tenant, "Role", roles::findByName, () -> new Role(), roles::persist);
    }

    @WithTransaction
    public Uni<Permission> createPermission(Caller caller, String name, String tenant) {
        checkCustomPermissionName(name);
        return createNamed(caller, name, tenant, "Permission", permissions::findByName, () -> new Permission(),
                permissions::persist);
    }

    /** A new role or permission: unique name within an existing tenant the caller may write to. */
    private <T extends TenantScopedName> Uni<T> createNamed(Caller caller, String name, String tenant, String kind,
            BiFunction<UUID, String, Uni<T>> find, Supplier<T> create, Function<T, Uni<T>> persist) {
        caller.require(io.dmlp.common.security.Permission.MANAGE_ROLES);
        UUID tenantId = TenantScope.forWrite(caller, tenant);
        return existingTenant(tenantId).chain(() -> find.apply(tenantId, checkName(name)))
                .chain(existing -> existing != null
                        ? Uni.createFrom().failure(new ConflictException(kind + " '" + name + "' already exists."))
                        : persist.apply(named(create.get(), tenantId, name)));
    }

    @WithTransaction
    public Uni<List<RoleView>> listRoles(Caller caller, String tenantFilter) {
        caller.require(io.dmlp.common.security.Permission.MANAGE_ROLES);
        return roles.listIn(listedTenant(caller, tenantFilter)).chain(this::withPermissions);
    }

    /** Each role with the permissions it grants, in the order given (one query per role: roles are few). */
    Uni<List<RoleView>> withPermissions(List<Role> list) {
        List<RoleView> views = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Role role : list) {
            chain = chain.chain(() -> permissions.grantedBy(role.id)
                    .invoke(granted -> views.add(new RoleView(role, granted))).replaceWithVoid());
        }
        return chain.replaceWith(views);
    }

    @WithTransaction
    public Uni<List<Permission>> listPermissions(Caller caller, String tenantFilter) {
        caller.require(io.dmlp.common.security.Permission.MANAGE_ROLES);
        return permissions.listIn(listedTenant(caller, tenantFilter));
    }

    /**
     * Grants or revokes a permission of a role in the caller's tenant; returns the role as it now stands.
     * Revoking a permission the role does not hold is a 404. The role and the permission must be within the
     * caller's reach (403). A revoke ends the sessions of the role's holders (but the caller's own): their tokens
     * still carry the permission.
     */
    @WithTransaction
    public Uni<RoleView> grant(Caller caller, long roleId, long permissionId, boolean granted) {
        caller.require(io.dmlp.common.security.Permission.MANAGE_ROLES);
        String missingPermission = "Permission " + permissionId + " not found.";
        return caller.visible(roles.findById(roleId), role -> role.tenantId, "Role " + roleId + " not found.")
                .call(role -> caller.visible(permissions.findById(permissionId), p -> p.tenantId, missingPermission)
                        .invoke(permission -> {
                            if (!permission.tenantId.equals(role.tenantId)) {
                                throw new ResourceNotFoundException(missingPermission);
                            }
                            reach.requirePermission(caller, permission);
                        })
                        .call(() -> reach.requireRole(caller, roleId))
                        .chain(() -> granted ? roles.grant(roleId, permissionId) : roles.revoke(roleId, permissionId))
                        .call(changed -> {
                            if (granted) {
                                return Uni.createFrom().voidItem();
                            }
                            if (!changed) {
                                throw new ResourceNotFoundException(
                                        "Role " + roleId + " does not grant permission " + permissionId + ".");
                            }
                            return sessionEnding.endSessionsOfRoleHolders(roleId,
                                    UUID.fromString(caller.sessionId()), SessionEnding.Reason.ROLE_CHANGED,
                                    LoginService.now());
                        }))
                .chain(role -> permissions.grantedBy(roleId).map(list -> new RoleView(role, list)));
    }

    /** Creates the permission catalogue and the seeded roles in a new tenant (inside the caller's transaction). */
    public Uni<Void> seed(UUID tenantId) {
        Map<String, Permission> created = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (io.dmlp.common.security.Permission p : io.dmlp.common.security.Permission.values()) {
            chain = chain.chain(() -> permissions.persist(named(new Permission(), tenantId, p.permissionName()))
                    .invoke(saved -> created.put(saved.name, saved)).replaceWithVoid());
        }
        for (var entry : SEEDED_ROLES.entrySet()) {
            chain = chain.chain(() -> roles.persist(named(new Role(), tenantId, entry.getKey())))
                    .chain(role -> {
                        Uni<Void> grants = Uni.createFrom().voidItem();
                        for (io.dmlp.common.security.Permission p : entry.getValue()) {
                            grants = grants.chain(() -> roles.grant(role.id, created.get(p.permissionName()).id)
                                    .replaceWithVoid());
                        }
                        return grants;
                    });
        }
        return chain;
    }

    private UUID listedTenant(Caller caller, String tenantFilter) {
        UUID tenantId = TenantScope.forRead(caller, tenantFilter);
        return tenantId == null ? UUID.fromString(caller.tenantId()) : tenantId;
    }

    private Uni<Void> existingTenant(UUID tenantId) {
        return tenants.findById(tenantId).onItem().ifNull()
                .failWith(() -> new UnprocessableEntityException("Tenant " + tenantId + " does not exist."))
                .replaceWithVoid();
    }

    /** Only {@code custom:<name>}: the catalogue is the platform's, and every tenant has it already. */
    private static void checkCustomPermissionName(String name) {
        if (io.dmlp.common.security.Permission.isCatalogue(name)) {
            throw new UnprocessableEntityException("'" + name + "' belongs to the platform's permission catalogue,"
                    + " which every tenant already has. Name your own permissions custom:<name>.");
        }
        if (!io.dmlp.common.security.Permission.isValidCustomName(name)) {
            throw new UnprocessableEntityException("A tenant's own permissions are named custom:<name>, with 1 to 64"
                    + " letters, digits or the characters _ . - (the catalogue's names are fixed by the platform).");
        }
    }

    private static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UnprocessableEntityException(
                    "name must be 1 to 100 letters, digits or the characters _ . : -");
        }
        return name;
    }

    private static <T extends TenantScopedName> T named(T entity, UUID tenantId, String name) {
        entity.tenantId = tenantId;
        entity.name = name;
        return entity;
    }
}
