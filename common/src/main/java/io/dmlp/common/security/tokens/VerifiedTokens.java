package io.dmlp.common.security.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Access tokens this service has verified, remembered until they expire, so a client's every call does not pay an
 * RS256 verification, a JSON parse and a hop to a worker thread. Keyed by the whole token, signature included: only
 * the exact string that passed verification hits. Revocation is not cached: {@code EndedSessionCheck} runs on every
 * request, remembered token or not. A token signed by a key that is later rotated out stays accepted until it
 * expires, as it would be by any verifier that fetched the key before the rotation.
 */
@ApplicationScoped
public class VerifiedTokens {

    /** The attribute Quarkus gives an identity for the request it was made in: never remembered. */
    static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String USER = "quarkus.user";

    private final Cache<String, SecurityIdentity> identities;
    private final boolean enabled;

    public VerifiedTokens(TokenCacheConfig config) {
        this.enabled = config.maxSize() > 0;
        this.identities = Caffeine.newBuilder().maximumSize(Math.max(config.maxSize(), 1))
                .expireAfter(new UntilExpiry()).build();
    }

    /** The identity of a token verified before and not expired yet, else null. */
    SecurityIdentity identity(String rawToken) {
        return rawToken == null ? null : identities.getIfPresent(rawToken);
    }

    /**
     * Remembers a freshly verified identity (its claims read once: {@link TokenClaims}) and gives the identity to use
     * now. An identity that is not a token's, or a token without an expiry, is given back as it is.
     */
    SecurityIdentity remember(SecurityIdentity verified) {
        if (!enabled || !(verified.getPrincipal() instanceof JsonWebToken token) || token instanceof TokenClaims
                || token.getRawToken() == null || token.getExpirationTime() <= 0) {
            return verified;
        }
        TokenClaims claims = TokenClaims.of(token);
        QuarkusSecurityIdentity.Builder remembered = QuarkusSecurityIdentity.builder()
                .setPrincipal(claims).addRoles(verified.getRoles()).addCredentials(verified.getCredentials());
        for (Map.Entry<String, Object> attribute : verified.getAttributes().entrySet()) {
            if (!attribute.getKey().equals(ROUTING_CONTEXT)) {
                remembered.addAttribute(attribute.getKey(),
                        attribute.getKey().equals(USER) ? claims : attribute.getValue());
            }
        }
        SecurityIdentity identity = remembered.build();
        identities.put(claims.getRawToken(), identity);
        return forRequest(identity, (RoutingContext) verified.getAttribute(ROUTING_CONTEXT));
    }

    /** A remembered identity with the current request's routing context, as Quarkus's own verifier gives it. */
    static SecurityIdentity forRequest(SecurityIdentity remembered, RoutingContext request) {
        return request == null ? remembered
                : QuarkusSecurityIdentity.builder(remembered).addAttribute(ROUTING_CONTEXT, request).build();
    }

    /** An entry lives until its token's {@code exp}. */
    private static final class UntilExpiry implements Expiry<String, SecurityIdentity> {

        @Override
        public long expireAfterCreate(String key, SecurityIdentity identity, long currentTime) {
            long expiresMillis = ((JsonWebToken) identity.getPrincipal()).getExpirationTime() * 1000;
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, expiresMillis - System.currentTimeMillis()));
        }

        @Override
        public long expireAfterUpdate(String key, SecurityIdentity identity, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String key, SecurityIdentity identity, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
