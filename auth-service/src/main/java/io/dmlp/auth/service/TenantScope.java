package io.dmlp.auth.service;

import io.dmlp.common.error.BadRequestException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.security.Caller;
import java.util.UUID;

/** Which tenant an identity operation acts on: the caller's own, or any for the platform admin. */
final class TenantScope {

    private TenantScope() {
    }

    /**
     * The tenant a create call targets: {@code requested} must be the caller's own tenant unless the caller
     * administers the platform; absent means the caller's tenant.
     */
    static UUID forWrite(Caller caller, String requested) {
        UUID own = UUID.fromString(caller.tenantId());
        if (requested == null || requested.isBlank()) {
            return own;
        }
        UUID target = parse(requested);
        if (!target.equals(own) && !caller.isPlatformAdmin()) {
            throw new PermissionDeniedException("You can only act within your own tenant.");
        }
        return target;
    }

    /** The tenant a list call reads: the caller's, or {@code requested} for the platform admin (null = all). */
    static UUID forRead(Caller caller, String requested) {
        if (caller.isPlatformAdmin()) {
            return requested == null || requested.isBlank() ? null : parse(requested);
        }
        if (requested != null && !requested.isBlank() && !parse(requested).toString().equals(caller.tenantId())) {
            throw new PermissionDeniedException("You can only list your own tenant.");
        }
        return UUID.fromString(caller.tenantId());
    }

    static UUID parse(String tenantId) {
        try {
            return UUID.fromString(tenantId);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("tenant_id must be a UUID.");
        }
    }
}
