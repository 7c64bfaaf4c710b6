package io.dmlp.common.security;

import io.dmlp.common.error.NotAuthenticatedException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling: read from the verified access token. Every service uses it to scope queries to the
 * caller's tenant and to check permissions in code where an annotation cannot.
 *
 * @param permissions the {@code groups} claim: catalogue and {@code custom:} permission names of the caller's roles
 * @param platformAdmin the {@value #PLATFORM_ADMIN_CLAIM} claim, set by auth-service from the user record only;
 *        no permission or role name can make a caller platform administrator
 */
public record Caller(long userId, String username, String tenantId, String sessionId, Set<String> permissions,
        boolean platformAdmin) {

    public static final String TENANT_CLAIM = "tenant_id";
    public static final String SESSION_CLAIM = "sid";
    /** Boolean claim: the operator of the whole platform (tenants, every tenant's data). */
    public static final String PLATFORM_ADMIN_CLAIM = "platform_admin";
    /** The {@code aud} of every access token; every service verifies it ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "dmlp";

    /** The caller of a verified token; 401 when the request carries none. */
    public static Caller of(JsonWebToken token) {
        if (token == null || token.getSubject() == null) {
            throw new NotAuthenticatedException("Not authenticated: send 'Authorization: Bearer <access token>'.");
        }
        return new Caller(Long.parseLong(token.getSubject()), token.getName(), token.getClaim(TENANT_CLAIM),
                token.getClaim(SESSION_CLAIM), token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups()),
                isPlatformAdmin(token));
    }

    /** Whether the verified token carries {@code "platform_admin": true} (a JSON boolean, nothing else). */
    public static boolean isPlatformAdmin(JsonWebToken token) {
        Object claim = token.getClaim(PLATFORM_ADMIN_CLAIM);
        return Boolean.TRUE.equals(claim) || jakarta.json.JsonValue.TRUE.equals(claim);
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission.permissionName()) || isPlatformAdmin();
    }

    public boolean isPlatformAdmin() {
        return platformAdmin;
    }

    /** 403 unless the caller holds {@code permission}. */
    public void require(Permission permission) {
        if (!has(permission)) {
            throw new PermissionDeniedException("This operation requires the permission '"
                    + permission.permissionName() + "'.");
        }
    }

    /**
     * 404 unless the caller may see a resource of {@code ownerTenantId}: another tenant's resource must look
     * exactly like a missing one.
     */
    public void requireVisible(String ownerTenantId, String whatIsMissing) {
        if (!isPlatformAdmin() && !tenantId.equals(ownerTenantId)) {
            throw new ResourceNotFoundException(whatIsMissing);
        }
    }

    /**
     * The looked-up resource when it exists and the caller may see it; otherwise a 404 saying
     * {@code whatIsMissing}, the same for a missing resource and another tenant's.
     */
    public <T> Uni<T> visible(Uni<T> lookup, Function<T, Object> ownerTenantOf, String whatIsMissing) {
        return lookup.onItem().ifNull().failWith(() -> new ResourceNotFoundException(whatIsMissing))
                .invoke(found -> requireVisible(String.valueOf(ownerTenantOf.apply(found)), whatIsMissing));
    }
}
