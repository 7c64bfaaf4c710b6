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
 */
public record Caller(long userId, String username, String tenantId, String sessionId, Set<String> permissions) {

    public static final String TENANT_CLAIM = "tenant_id";
    public static final String SESSION_CLAIM = "sid";

    /** The caller of a verified token; 401 when the request carries none. */
    public static Caller of(JsonWebToken token) {
        if (token == null || token.getSubject() == null) {
            throw new NotAuthenticatedException("Not authenticated: send 'Authorization: Bearer <access token>'.");
        }
        return new Caller(Long.parseLong(token.getSubject()), token.getName(), token.getClaim(TENANT_CLAIM),
                token.getClaim(SESSION_CLAIM), token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups()));
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission.permissionName()) || isPlatformAdmin();
    }

    public boolean isPlatformAdmin() {
        return permissions.contains(Permission.Names.PLATFORM_ADMIN);
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
