package io.dmlp.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Finding 12: the public health check answers from readiness the gateway gathers in the background, so callers
 * cannot multiply the work of the services and their dependencies; and it still follows their state.
 */
@QuarkusTest
@TestProfile(StubbedServices.class)
class CachedHealthTest {

    private static final String HEALTH = "/api/v1/utils/health-check/";
    private static final int SERVICES = UpstreamStub.SERVICES.size();

    @Test
    void anyNumberOfHealthChecksCostsTheServicesOnlyTheRefreshTicks() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(HEALTH).then().statusCode(200));
        int callsBefore = Stub.readinessCalls();
        long started = System.nanoTime();

        int requests = 400;
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            var answers = IntStream.range(0, requests)
                    .mapToObj(i -> clients.submit(() -> given().get(HEALTH).statusCode()))
                    .toList();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            clients.shutdown();
        }

        int calls = Stub.readinessCalls() - callsBefore;
        long ticks = Duration.ofNanos(System.nanoTime() - started).toMillis() / StubbedServices.HEALTH_REFRESH_MS + 1;
        assertThat(calls).as("readiness calls for %d health checks over %d refresh ticks", requests, ticks)
                .isLessThanOrEqualTo((int) (SERVICES * ticks))
                .isLessThan(requests);
    }

    @Test
    void aFailingDependencyShowsWithinARefreshAndClearsAgain() {
        Stub.readiness(503, """
                {"status":"DOWN","checks":[{"name":"postgresql","status":"UP"},{"name":"kafka","status":"DOWN"}]}""");
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get(HEALTH).then().statusCode(503)
                    .body("status_code", equalTo(503))
                    .body("message", equalTo("Service is unhealthy. Not ready: kafka (reported by auth-service, "
                            + "catalog-service, datalake-service, dataset-service, inference-service, "
                            + "training-service)"))
                    .body("details[0].component", equalTo("kafka")));
        } finally {
            Stub.readiness(200, "{\"status\":\"UP\",\"checks\":[]}");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get(HEALTH).then().statusCode(200)
                .body("status", equalTo("ok")));
    }
}
