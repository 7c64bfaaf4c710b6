package io.dmlp.common.security.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** What a remembered token gives, and when it is no longer remembered. */
class VerifiedTokensTest {

    private static final RoutingContext FIRST_REQUEST = (RoutingContext) Proxy.newProxyInstance(
            RoutingContext.class.getClassLoader(), new Class<?>[] {RoutingContext.class}, (p, m, a) -> null);

    @Test
    void aRememberedTokenGivesTheSameCallerWithoutTheRequestItWasVerifiedIn() {
        VerifiedTokens tokens = tokens(10);
        SecurityIdentity verified = verified("raw.token.one", 600);

        SecurityIdentity now = tokens.remember(verified);
        SecurityIdentity later = tokens.identity("raw.token.one");

        assertThat(now.getAttributes()).containsEntry(VerifiedTokens.ROUTING_CONTEXT, FIRST_REQUEST);
        assertThat(later.getAttributes()).doesNotContainKey(VerifiedTokens.ROUTING_CONTEXT);
        JsonWebToken principal = (JsonWebToken) later.getPrincipal();
        assertThat((String) principal.getClaim("tenant_id")).isEqualTo("t-1");
        assertThat(principal.getGroups()).containsExactlyInAnyOrder("can_view", "run_inference");
        assertThat(principal.getSubject()).isEqualTo("42");
        assertThat(principal.getName()).isEqualTo("ada");
        assertThat(later.getRoles()).containsExactlyInAnyOrder("can_view", "run_inference");
    }

    @Test
    void onlyTheExactTokenStringHits() {
        VerifiedTokens tokens = tokens(10);
        tokens.remember(verified("header.payload.signature", 600));

        assertThat(tokens.identity("header.payload.signaturf")).isNull();
        assertThat(tokens.identity("header.payload.")).isNull();
        assertThat(tokens.identity(null)).isNull();
    }

    @Test
    void aTokenIsForgottenWhenItExpires() {
        VerifiedTokens tokens = tokens(10);
        tokens.remember(verified("short.lived.token", 1));
        assertThat(tokens.identity("short.lived.token")).isNotNull();

        await().atMost(Duration.ofSeconds(5)).until(() -> tokens.identity("short.lived.token") == null);
    }

    @Test
    void sizeZeroRemembersNothing() {
        VerifiedTokens tokens = tokens(0);
        SecurityIdentity verified = verified("raw.token.two", 600);

        assertThat(tokens.remember(verified)).isSameAs(verified);
        assertThat(tokens.identity("raw.token.two")).isNull();
    }

    private static VerifiedTokens tokens(int size) {
        return new VerifiedTokens(() -> size);
    }

    private static SecurityIdentity verified(String raw, int secondsLeft) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("42");
        claims.setClaim("upn", "ada");
        claims.setClaim("tenant_id", "t-1");
        claims.setStringListClaim("groups", List.of("can_view", "run_inference"));
        claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + secondsLeft * 1000L));
        claims.setClaim("raw_token", raw);
        DefaultJWTCallerPrincipal principal = new DefaultJWTCallerPrincipal(raw, "JWT", claims);
        return QuarkusSecurityIdentity.builder().setPrincipal(principal).addRoles(principal.getGroups())
                .addAttribute("quarkus.user", principal).addAttribute(VerifiedTokens.ROUTING_CONTEXT, FIRST_REQUEST)
                .build();
    }
}
