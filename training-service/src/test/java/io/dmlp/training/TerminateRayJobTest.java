package io.dmlp.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.client.RayJobClient;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Terminating jobs on the real Ray head: whose job it is comes from the job's Ray metadata. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class TerminateRayJobTest {

    private static final String PATH = "/api/v1/ray/terminate_ray_job";

    @Inject
    RayJobClient ray;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String operator = tenant.token(41, "ops", "can_manage_jobs");

    /** A job as the lifecycle submits it: metadata naming tenant, kind and owner; it sleeps until stopped. */
    private String sleepingJob(String tenantId, String kind) {
        String id = "stat-" + UUID.randomUUID();
        ray.submit(id, "python -c 'import time; time.sleep(600)'", Map.of(),
                Map.of("tenant_id", tenantId, "kind", kind, "owner_id", "1")).await().atMost(Duration.ofSeconds(60));
        return id;
    }

    @Test
    void theTenantsRunningJobIsStoppedOnRay() {
        String id = sleepingJob(tenant.id(), "statistics");

        given().auth().oauth2(operator).queryParam("ray_job_id", id).queryParam("usage", "statistics")
                .when().post(PATH)
                .then().statusCode(200).body("status", equalTo("success"))
                .body("message", equalTo("Termination request for Ray job '" + id + "' has been sent."));

        await().atMost(Duration.ofSeconds(60)).until(() ->
                "STOPPED".equals(ray.status(id).await().atMost(Duration.ofSeconds(20)).status()));
        given().auth().oauth2(operator).queryParam("ray_job_id", id).queryParam("usage", "statistics")
                .when().post(PATH)
                .then().statusCode(409).body("message", equalTo("Ray job '" + id + "' has already ended (STOPPED)."));
    }

    @Test
    void anotherTenantsJobOrAnUnknownOneIsNotFoundAndKeepsRunning() {
        String id = sleepingJob(UUID.randomUUID().toString(), "training");
        try {
            for (String jobId : new String[] {id, "train-" + UUID.randomUUID(), "../jobs/x", "x".repeat(300)}) {
                given().auth().oauth2(operator).queryParam("ray_job_id", jobId).queryParam("usage", "training")
                        .when().post(PATH)
                        .then().statusCode(404).body("status_code", equalTo(404));
            }
            assertThat(ray.status(id).await().atMost(Duration.ofSeconds(20))
                    .terminal()).isFalse();
        } finally {
            ray.stop(id).await().atMost(Duration.ofSeconds(20));
        }
    }

    @Test
    void theUsageMustBeAKnownKindAndTheJobs() {
        String id = sleepingJob(tenant.id(), "statistics");
        try {
            given().auth().oauth2(operator).queryParam("ray_job_id", id).queryParam("usage", "training")
                    .when().post(PATH)
                    .then().statusCode(422)
                    .body("message", equalTo("'usage' is 'training' but Ray job '" + id + "' is a statistics job."));
            given().auth().oauth2(operator).queryParam("ray_job_id", id).queryParam("usage", "cleanup")
                    .when().post(PATH)
                    .then().statusCode(422).body("message", equalTo(
                            "'usage' must be one of training, shap, statistics, batch_prediction, forecast."));
        } finally {
            ray.stop(id).await().atMost(Duration.ofSeconds(20));
        }
    }

    @Test
    void callersWithoutTheJobPermissionAreRefused() {
        given().auth().oauth2(tenant.token(42, "viewer", "can_view")).queryParam("ray_job_id", "stat-1")
                .queryParam("usage", "statistics").when().post(PATH).then().statusCode(403);
        given().queryParam("ray_job_id", "stat-1").queryParam("usage", "statistics").when().post(PATH)
                .then().statusCode(401);
    }
}
