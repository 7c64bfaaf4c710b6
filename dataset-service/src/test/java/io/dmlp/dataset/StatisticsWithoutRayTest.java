package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With Ray unreachable, a statistics job is recorded as failed with the reason: never left unfinished, neither when
 * Ray cannot take it nor when Ray stays unreachable past the deadline while it runs.
 */
@QuarkusTest
@TestProfile(StatisticsWithoutRayTest.RayDown.class)
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class StatisticsWithoutRayTest {

    public static class RayDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.ray.url", "http://127.0.0.1:9", "dmlp.ray.timeout", "1s",
                    "dmlp.jobs.unreachable-deadline", "10m");
        }
    }

    @Inject
    Pool pool;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "uma", "can_upload_datasets", "can_view");

    @Test
    void theJobFailsWithTheReasonAndTheCallerGetsA503() {
        long datasetId = dataset();

        given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics")
                .then().statusCode(503).body("message", containsString("recorded as failed"));

        given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics")
                .then().statusCode(200).body("status", equalTo("failed"))
                .body("error", startsWith("Could not start on Ray: Ray is not reachable"));
    }

    @Test
    void aRunningJobWhoseRayStaysUnreachablePastTheDeadlineFails() {
        long datasetId = dataset();
        String jobId = "stat-test-" + UUID.randomUUID();
        running(jobId, datasetId, 11 * 60);

        JsonPath failed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                        .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().jsonPath(),
                body -> !body.getString("status").equals("running"));
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getString("error")).startsWith("Ray was unreachable for longer than 10m: ");

        String recent = "stat-test-" + UUID.randomUUID();
        running(recent, datasetId, 9 * 60);
        assertThat(given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().jsonPath()
                .getString("status")).as("Ray was heard from within the deadline").isEqualTo("running");
    }

    /** A running job Ray last answered about {@code silentSeconds} ago. */
    private void running(String jobId, long datasetId, int silentSeconds) {
        pool.preparedQuery("insert into ray_job (id, tenant_id, kind, owner_id, status, callback_hash, created_by, "
                + "submitted_at, started_at, ray_seen_at) values ($1, $2, 'statistics', $3, 'running', $4, 'uma', "
                + "now() - interval '1 hour', now() - interval '1 hour', now() - make_interval(secs => $5))")
                .execute(Tuple.of(jobId, UUID.fromString(tenant.id()), Long.toString(datasetId), "1".repeat(64),
                        silentSeconds))
                .await().indefinitely();
    }

    private long dataset() {
        return given().auth().oauth2(token).queryParam("dataset_name", "noray " + UUID.randomUUID())
                .queryParam("usage", "t").queryParam("template_id", 5)
                .multiPart("files", "s.csv", "CustomerID,DataUsageGB,Active,Since\nA,1,true,\n"
                        .getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath().getLong("dataset_id");
    }
}
