package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.dmlp.auth.domain.User;
import io.dmlp.common.security.Caller;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Signs access tokens and makes refresh tokens. */
@ApplicationScoped
public class TokenIssuer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyManager keys;
    private final AuthConfig config;

    public TokenIssuer(KeyManager keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /**
     * An RS256 access token: aud = dmlp, sub = user id, upn, tenant_id, groups = permissions, sid = session, and
     * platform_admin from the user record (never from a permission).
     */
    public String accessToken(User user, List<String> permissions, UUID sessionId, Instant now) {
        KeyManager.SigningKey signing = keys.signingKey();
        return Jwt.issuer(config.issuer())
                .audience(Caller.AUDIENCE)
                .subject(user.id.toString())
                .upn(user.username)
                .groups(Set.copyOf(permissions))
                .claim(Caller.PLATFORM_ADMIN_CLAIM, user.platformAdmin)
                .claim(Caller.TENANT_CLAIM, user.tenantId.toString())
                .claim(Caller.SESSION_CLAIM, sessionId.toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.accessTokenTtl()))
                .jws().keyId(signing.kid()).algorithm(SignatureAlgorithm.RS256)
                .sign(signing.key());
    }

    /** 256 random bits; only {@link #hash(String)} of it is stored. */
    public String newRefreshToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String refreshToken) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
