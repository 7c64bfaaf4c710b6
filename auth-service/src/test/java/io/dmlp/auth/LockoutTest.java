package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.login;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The brute-force lockout, with a window short enough to watch it expire. */
@QuarkusTest
@TestProfile(LockoutTest.ShortWindow.class)
class LockoutTest {

    public static class ShortWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.auth.lockout-window", "4s");
        }
    }

    @Test
    void fiveFailuresLockThatUsernameOnlyUntilTheWindowPasses() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String victim = unique("victim");
        String bystander = unique("bystander");
        newUser(admin, tenant, victim, "victim-pass-1");
        newUser(admin, tenant, bystander, "bystander-pass-1");

        for (int i = 0; i < 5; i++) {
            login(victim, "guess-" + i).then().statusCode(401);
        }

        login(victim, "victim-pass-1").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-4]"))
                .body("status_code", equalTo(429))
                .body("message", containsString("Too many failed log-ins"));
        login(victim.toUpperCase(), "victim-pass-1").then().statusCode(429);
        login(bystander, "bystander-pass-1").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> login(victim, "victim-pass-1").statusCode() == 200);
    }
}
