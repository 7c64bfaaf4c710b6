package io.dmlp.common.security.tokens;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A verified token's claims, read once. smallrye-jwt's principal resolves a claim name through
 * {@code Claims.valueOf}, which throws (and fills a stack trace) for every custom claim such as {@code tenant_id}:
 * reading the claims once per token, not per request, takes that off every call.
 */
final class TokenClaims implements JsonWebToken {

    private final String name;
    private final Map<String, Object> claims;

    private TokenClaims(String name, Map<String, Object> claims) {
        this.name = name;
        this.claims = claims;
    }

    static TokenClaims of(JsonWebToken verified) {
        Map<String, Object> claims = new HashMap<>();
        for (String claim : verified.getClaimNames()) {
            claims.put(claim, verified.getClaim(claim));
        }
        claims.put(Claims.raw_token.name(), verified.getRawToken());
        return new TokenClaims(verified.getName(), Collections.unmodifiableMap(claims));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Set<String> getClaimNames() {
        return claims.keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        return (T) claims.get(claimName);
    }

    @Override
    public String toString() {
        return "TokenClaims[" + name + "]"; // never the raw token
    }
}
