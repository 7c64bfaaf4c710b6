package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.login;
import static io.dmlp.auth.AuthClient.loginFrom;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.auth.service.LoginThrottle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The brute-force lockout, per username and client address, with a window short enough to watch it expire.
 * Clients are told apart by X-Forwarded-For, as the gateway sets it.
 */
@QuarkusTest
@TestProfile(LockoutTest.ShortWindow.class)
class LockoutTest {

    public static class ShortWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.auth.lockout-window", "4s");
        }
    }

    @Inject
    Pool pool;

    @Inject
    LoginThrottle throttle;

    @Test
    void fiveFailuresLockThatUsernameForThatClientOnlyUntilTheWindowPasses() {
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
        loginFrom("198.51.100.23", victim, "victim-pass-1").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> login(victim, "victim-pass-1").statusCode() == 200);
    }

    @Test
    void anAnonymousCallerCannotKeepThePlatformAdminOut() {
        String admin = adminToken();
        String operator = unique("operator");
        long id = newUser(admin, newTenant(admin), operator, "operator-pass-1");
        pool.preparedQuery("update app_user set is_platform_admin = true where id = $1").execute(Tuple.of(id))
                .await().indefinitely();

        for (int i = 0; i < 8; i++) {
            loginFrom("203.0.113.66", operator, "guess-" + i);
        }

        loginFrom("203.0.113.66", operator, "operator-pass-1").then().statusCode(429);
        loginFrom("198.51.100.7", operator, "operator-pass-1").then().statusCode(200);
    }

    @Test
    void parallelGuessesAreCountedBeforeAnyIsChecked() throws Exception {
        String admin = adminToken();
        String victim = unique("raced");
        newUser(admin, newTenant(admin), victim, "raced-pass-1");
        int parallel = 20;
        CyclicBarrier start = new CyclicBarrier(parallel);
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String guess = "guess-" + i;
            answers.add(threads.submit(() -> {
                start.await();
                return loginFrom("192.0.2.44", victim, guess);
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            statuses.add(answer.get(60, TimeUnit.SECONDS).statusCode());
        }
        threads.shutdown();

        System.out.printf("20 parallel wrong guesses: %d checked (401), %d refused (429)%n",
                statuses.stream().filter(s -> s == 401).count(), statuses.stream().filter(s -> s == 429).count());
        assertThat(statuses).allMatch(s -> s == 401 || s == 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).isBetween(1L, 5L);
    }

    @Test
    void failuresOutsideTheWindowAreDeleted() {
        String username = unique("forgotten");
        loginFrom("192.0.2.45", username, "guess-1").then().statusCode(401);
        assertThat(failures(username)).isEqualTo(1);

        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> {
            throttle.deleteExpired().await().indefinitely();
            return failures(username) == 0;
        });
    }

    private long failures(String username) {
        return pool.preparedQuery("select count(*) from login_failure where username_key = $1")
                .execute(Tuple.of(username.toLowerCase())).await().indefinitely().iterator().next().getLong(0);
    }
}
