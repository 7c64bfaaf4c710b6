package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dmlp.common.client.RayJobClient;
import io.dmlp.common.client.RayRequestException;
import io.dmlp.common.config.RayAuth;
import io.dmlp.common.config.RayConfig;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A restarted Ray head has lost every code package: the next job must still run, so the service checks the package
 * is on Ray before each submit. Restarts the shared local Ray (./dmlp infra restart ray), so it is the only test
 * doing so.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class StatisticsAfterRayRestartTest {

    @Inject
    RayConfig ray;
    @Inject
    RayJobClient rayClient;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "uma", "can_upload_datasets", "can_view");

    @Test
    void theFirstJobAfterRayRestartedSucceeds() throws Exception {
        long datasetId = given().auth().oauth2(token).queryParam("dataset_name", "restart " + UUID.randomUUID())
                .queryParam("usage", "t").queryParam("template_id", 5)
                .multiPart("files", "s.csv", "CustomerID,DataUsageGB,Active,Since\nA,1.0,true,2025-01-01\n"
                        .getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath().getLong("dataset_id");
        String before = completedJob(datasetId);
        String workingDir = given().header("Authorization", RayAuth.authorizationHeader(ray).orElse(""))
                .when().get(ray.url() + "/api/jobs/" + before).then().statusCode(200)
                .extract().path("runtime_env.working_dir");

        restartRay();
        assertThat(given().header("Authorization", RayAuth.authorizationHeader(ray).orElse(""))
                .when().get(ray.url() + "/api/packages/gcs/" + workingDir.substring("gcs://".length()))
                .statusCode()).as("the new head has lost the package").isEqualTo(404);
        // the service reaches Ray again (its circuit breaker closed): Ray answers that it does not know a job
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptionsMatching(
                e -> !(e instanceof RayRequestException)).until(() -> {
                    try {
                        rayClient.status("stat-unknown-" + UUID.randomUUID()).await().atMost(Duration.ofSeconds(20));
                        return false;
                    } catch (RayRequestException unknown) {
                        return true;
                    }
                });

        String after = completedJob(datasetId);
        assertThat(after).isNotEqualTo(before);
    }

    /** Starts a statistics job and waits for it to complete. */
    private String completedJob(long datasetId) {
        String jobId = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics").then().statusCode(200).extract().path("job_id");
        String status = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(
                () -> given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                        .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().path("status"),
                s -> !s.equals("submitted_to_ray") && !s.equals("running"));
        assertThat(status).as(given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics").asString()).isEqualTo("completed");
        return jobId;
    }

    /** The repository's own infra script, on the infrastructure DMLP_DATA names (the developer's running one). */
    private static void restartRay() throws Exception {
        File log = new File("target/ray-restart.log");
        Process restart = new ProcessBuilder(new File("../dmlp").getAbsolutePath(), "infra", "restart", "ray")
                .redirectErrorStream(true).redirectOutput(log).start();
        assertThat(restart.waitFor(180, TimeUnit.SECONDS)).as("Ray restarted within 3 minutes").isTrue();
        // the script's own words in the failure: a CI report shows the assertion, not target/
        assertThat(restart.exitValue()).as("./dmlp infra restart ray said:%n%s",
                Files.readString(log.toPath(), StandardCharsets.UTF_8)).isZero();
    }
}
