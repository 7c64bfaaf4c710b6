package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.dmlp.auth.domain.Tenant;
import io.dmlp.auth.domain.User;
import io.dmlp.auth.event.AuthEvents;
import io.dmlp.auth.repository.RoleRepository;
import io.dmlp.auth.repository.TenantRepository;
import io.dmlp.auth.repository.UserRepository;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Tenants (platform admin only) and the bootstrap of the default tenant with its administrator. */
@ApplicationScoped
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final UserRepository users;
    private final RoleRepository roles;
    private final RbacService rbac;
    private final PasswordHasher hasher;
    private final AuthEvents events;

    public TenantService(TenantRepository tenants, UserRepository users, RoleRepository roles, RbacService rbac,
            PasswordHasher hasher, AuthEvents events) {
        this.tenants = tenants;
        this.users = users;
        this.roles = roles;
        this.rbac = rbac;
        this.hasher = hasher;
        this.events = events;
    }

    @WithTransaction
    public Uni<Tenant> create(Caller caller, String name) {
        requirePlatformAdmin(caller);
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new UnprocessableEntityException("name must be 1 to 100 characters.");
        }
        return tenants.findByName(name.strip()).chain(existing -> existing != null
                ? Uni.createFrom().failure(new ConflictException("Tenant '" + name.strip() + "' already exists."))
                : createSeeded(name.strip()));
    }

    @WithTransaction
    public Uni<List<Tenant>> list(Caller caller) {
        requirePlatformAdmin(caller);
        return tenants.listAll(Sort.by("createdAt"));
    }

    /**
     * Makes sure the bootstrap tenant, its roles and its administrator exist. Runs at every start; an existing
     * administrator keeps the password it has.
     */
    @WithTransaction
    public Uni<Void> bootstrap(AuthConfig config) {
        return tenants.findByName(config.bootstrapTenant())
                .chain(tenant -> tenant != null ? Uni.createFrom().item(tenant) : createSeeded(config.bootstrapTenant()))
                .chain(tenant -> users.findByUsername(config.adminUsername()).chain(admin -> admin != null
                        ? Uni.createFrom().voidItem()
                        : createAdmin(config, tenant)));
    }

    private Uni<Void> createAdmin(AuthConfig config, Tenant tenant) {
        return hasher.hash(config.adminPassword()).chain(hash -> {
            User admin = new User();
            admin.tenantId = tenant.id;
            admin.username = config.adminUsername();
            admin.email = config.adminEmail();
            admin.firstName = "Platform";
            admin.lastName = "Administrator";
            admin.passwordHash = hash;
            admin.platformAdmin = true;
            admin.createdAt = LoginService.now();
            admin.modifiedAt = admin.createdAt;
            return users.persist(admin);
        }).call(events::userCreated)
                .chain(admin -> roles.findByName(tenant.id, "admin")
                        .chain(role -> users.addRole(admin.id, role.id)
                                .chain(() -> events.roleAssigned(admin, role.id, role.name))))
                .invoke(() -> LOG.infof("Created the bootstrap administrator '%s' in tenant '%s'",
                        config.adminUsername(), tenant.name));
    }

    private Uni<Tenant> createSeeded(String name) {
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.name = name;
        tenant.createdAt = LoginService.now();
        return tenants.persist(tenant).call(() -> rbac.seed(tenant.id));
    }

    private static void requirePlatformAdmin(Caller caller) {
        if (!caller.isPlatformAdmin()) {
            throw new PermissionDeniedException("Only the platform administrator manages tenants.");
        }
    }
}
