package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.auth.service.KeyManager;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad token is a 401 in the error body, on a read and on a write. */
@QuarkusTest
class TokenRejectionTest {

    @Inject
    KeyManager keys;

    private String token(String kind) throws Exception {
        String good = adminToken();
        String[] parts = good.split("\\.");
        KeyManager.SigningKey signing = keys.signingKey();
        Instant now = Instant.now();
        var otherKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        String noneHeader = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return switch (kind) {
            case "expired" -> Jwt.issuer("dmlp-auth").audience("dmlp").subject("1").upn("admin").groups(Set.of("can_view"))
                        .claim("tenant_id", "x").claim("sid", "y").issuedAt(now.minusSeconds(3600))
                        .expiresAt(now.minusSeconds(1800)).jws().keyId(signing.kid())
                        .algorithm(SignatureAlgorithm.RS256).sign(signing.key());
            // payload changed, signature kept
            case "forged" -> parts[0] + "." + b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"upn\":\"admin\"", "\"upn\":\"mallory\"")) + "." + parts[2];
            // signed by a key that is not ours, claiming our key id
            case "foreign-key" -> Jwt.issuer("dmlp-auth").subject("1").upn("admin").expiresIn(600).jws().keyId(signing.kid())
                        .algorithm(SignatureAlgorithm.RS256).sign(otherKey);
            case "other-issuer" -> Jwt.issuer("someone-else").subject("1").upn("admin").expiresIn(600).jws().keyId(signing.kid())
                        .algorithm(SignatureAlgorithm.RS256).sign(signing.key());
            case "alg-none" -> noneHeader + "." + parts[1] + ".";
            // a live session's own claims, signed by our key, but not minted for the platform's APIs
            case "no-audience" -> Jwt.claims(liveClaims(parts[1], null)).jws().keyId(signing.kid())
                        .algorithm(SignatureAlgorithm.RS256).sign(signing.key());
            case "other-audience" -> Jwt.claims(liveClaims(parts[1], "another-app")).jws().keyId(signing.kid())
                        .algorithm(SignatureAlgorithm.RS256).sign(signing.key());
            default -> "not-a-jwt";
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "forged", "foreign-key", "other-issuer", "alg-none", "no-audience",
            "other-audience", "garbage"})
    void isRefusedWithA401(String kind) throws Exception {
        String token = token(kind);
        given().auth().oauth2(token).when().get("/api/v1/validate-token")
                .then().statusCode(401).body("status_code", equalTo(401));
        given().auth().oauth2(token).when().get("/api/v1/users/read-users/")
                .then().statusCode(401).body("status_code", equalTo(401));
        given().auth().oauth2(token).contentType("application/json").body("{\"name\":\"x\"}")
                .when().post("/api/v1/tenants")
                .then().statusCode(401);
    }

    @org.junit.jupiter.api.Test
    void noTokenIsA401Too() {
        given().when().get("/api/v1/users/read-users/")
                .then().statusCode(401).body("message", org.hamcrest.Matchers.containsString("Bearer"));
    }

    /** The claims of a valid token, with {@code aud} replaced (null: none). */
    private static Map<String, Object> liveClaims(String payload, String audience) {
        Map<String, Object> claims = new HashMap<>(io.restassured.path.json.JsonPath.from(
                new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).getMap("$"));
        claims.remove("aud");
        if (audience != null) {
            claims.put("aud", audience);
        }
        return claims;
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
