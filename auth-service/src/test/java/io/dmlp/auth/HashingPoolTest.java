package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.loginFrom;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A flood of log-ins meets a bounded hashing pool: the excess is told to come back, nothing piles up or fails. */
@QuarkusTest
@TestProfile(HashingPoolTest.OneHashAtATime.class)
class HashingPoolTest {

    public static class OneHashAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.auth.hashing.concurrency", "1", "dmlp.auth.hashing.queue", "1",
                    "dmlp.auth.hashing.max-wait", "1s");
        }
    }

    @Test
    void logInsBeyondThePoolAreA429WithRetryAfterAndTheRestSucceed() throws Exception {
        String admin = adminToken();
        String tenant = newTenant(admin);
        int parallel = 12;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String name = unique("crowd");
            newUser(admin, tenant, name, "crowd-pass-1");
            users.add(name);
        }
        CyclicBarrier start = new CyclicBarrier(parallel);
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            String name = users.get(i);
            String client = "192.0.2." + (100 + i);
            answers.add(threads.submit(() -> {
                start.await();
                return loginFrom(client, name, "crowd-pass-1");
            }));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            responses.add(answer.get(60, TimeUnit.SECONDS));
        }
        threads.shutdown();

        List<Response> busy = responses.stream().filter(r -> r.statusCode() == 429).toList();
        System.out.printf("%d parallel log-ins, 1 hashing thread + 1 waiting: %d logged in, %d told to retry%n",
                parallel, responses.stream().filter(r -> r.statusCode() == 200).count(), busy.size());
        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 429);
        assertThat(busy).isNotEmpty().allMatch(r -> "1".equals(r.header("Retry-After"))
                && r.jsonPath().getInt("status_code") == 429
                && r.jsonPath().getString("message").contains("passwords are being checked"));
        assertThat(responses).anyMatch(r -> r.statusCode() == 200);
    }
}
