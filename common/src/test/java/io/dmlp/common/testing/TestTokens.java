package io.dmlp.common.testing;

import io.dmlp.common.security.Caller;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Access tokens for a service's own {@code @QuarkusTest}s, shaped like auth-service's (same claims, RS256,
 * issuer {@code dmlp-auth}, audience {@code dmlp}, {@code platform_admin} as its own boolean claim) but signed with a
 * key made for the test run. Use with
 * {@code @QuarkusTestResource(TestTokens.class)}: it points the service's JWT verification at that key.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    private static final Path KEY_FILE = Path.of("target", "test-jwt-key.der");
    private static final Path JWKS_FILE = Path.of("target", "test-jwks.json");
    private static final String KID = "dmlp-test-key";

    /** A tenant with a caller holding {@code permissions}. */
    public record Tenant(String id) {
        public static Tenant random() {
            return new Tenant(UUID.randomUUID().toString());
        }

        public String token(long userId, String username, String... permissions) {
            return TestTokens.token(userId, username, id, permissions);
        }

        /** A platform administrator of this tenant: {@code "platform_admin": true}, whatever its permissions. */
        public String platformAdminToken(long userId, String username, String... permissions) {
            return TestTokens.token(userId, username, id, true, permissions);
        }
    }

    @Override
    public Map<String, String> start() {
        // The test resource and the tests run in different class loaders: the key pair is shared through files.
        try {
            KeyPair keys = generate();
            Files.createDirectories(KEY_FILE.getParent());
            Files.write(KEY_FILE, keys.getPrivate().getEncoded());
            RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) keys.getPublic());
            jwk.setKeyId(KID);
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            Files.writeString(JWKS_FILE, new JsonWebKeySet(jwk).toJson());
            return Map.of("mp.jwt.verify.publickey.location", "file:" + JWKS_FILE.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }

    public static String token(long userId, String username, String tenantId, String... permissions) {
        return token(userId, username, tenantId, false, permissions);
    }

    public static String token(long userId, String username, String tenantId, boolean platformAdmin,
            String... permissions) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("dmlp-auth");
        claims.setAudience(Caller.AUDIENCE);
        claims.setClaim(Caller.PLATFORM_ADMIN_CLAIM, platformAdmin);
        claims.setSubject(Long.toString(userId));
        claims.setClaim("upn", username);
        claims.setClaim("tenant_id", tenantId);
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setStringListClaim("groups", List.copyOf(Arrays.asList(permissions)));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(15);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(privateKey());
        jws.setKeyIdHeaderValue(KID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.security.PrivateKey privateKey() {
        try {
            return java.security.KeyFactory.getInstance("RSA")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Files.readAllBytes(KEY_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("Start the test with @QuarkusTestResource(TestTokens.class)", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
