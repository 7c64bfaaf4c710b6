package io.dmlp.common.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Makes {@code @RolesAllowed} agree with {@link Caller}: a token with {@code "platform_admin": true} holds every
 * catalogue permission and the role {@link Permission.Names#PLATFORM_ADMIN}, as {@link Caller#has} grants it. The
 * role comes from that claim only: a {@code groups} entry of that name (a token issued before the catalogue was
 * fixed) is dropped.
 */
@ApplicationScoped
public class PlatformAdminRoles implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        boolean platformAdmin = Caller.isPlatformAdmin(token);
        if (!platformAdmin && !identity.getRoles().contains(Permission.Names.PLATFORM_ADMIN)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = new HashSet<>(identity.getRoles());
        roles.remove(Permission.Names.PLATFORM_ADMIN);
        if (platformAdmin) {
            roles.addAll(Permission.allNames());
            roles.add(Permission.Names.PLATFORM_ADMIN);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(token)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission)
                .addRoles(roles)
                .build());
    }
}
