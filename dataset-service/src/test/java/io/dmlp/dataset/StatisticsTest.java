package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.dmlp.common.callback.JobCallbacks;
import io.dmlp.common.client.RayJobClient;
import io.dmlp.common.config.RayAuth;
import io.dmlp.common.config.RayConfig;
import io.dmlp.common.config.S3Config;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.security.JobCredential;
import io.dmlp.common.testing.TestTokens;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.service.JobLifecycle;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Statistics computed by the real Ray job over the dataset's silver table, and its authenticated callback. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class StatisticsTest {

    @Inject
    Pool pool;
    @TestHTTPResource("/api/v1/dataset/statistics/result")
    URL callback;
    @Inject
    RayConfig ray;
    @Inject
    S3Config s3;
    @Inject
    JobLifecycle lifecycle;
    @Inject
    RayJobClient rayClient;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "uma", "can_upload_datasets", "can_view");

    long dataset() {
        String csv = "CustomerID,DataUsageGB,Active,Since\nA,1.0,true,2025-01-01\nB,2.0,false,2025-01-03\n"
                + "C,,true,\nA,6.0,true,2025-01-02\nbad,x,true,\n";
        return given().auth().oauth2(token).queryParam("dataset_name", "stats " + UUID.randomUUID())
                .queryParam("usage", "t").queryParam("template_id", 5)
                .multiPart("files", "s.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath().getLong("dataset_id");
    }

    @Test
    void theRayJobComputesEachColumnsStatisticsAndPostsThemBack() {
        long datasetId = dataset();
        given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics").then().statusCode(404);

        String jobId = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics")
                .then().statusCode(200).body("status", equalTo("success")).body("job_id", startsWith("stat-"))
                .extract().path("job_id");

        JsonPath done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(
                () -> given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                        .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().jsonPath(),
                body -> !body.getString("status").equals("submitted_to_ray") && !body.getString("status").equals("running"));

        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("completed");
        assertThat(done.getString("job_id")).isEqualTo(jobId);
        // The job got its spec, callback and credential, and read its data files through presigned URLs: no keys.
        Map<String, String> env = given().header("Authorization", RayAuth.authorizationHeader(ray).orElse(""))
                .when().get(ray.url() + "/api/jobs/" + jobId).then().statusCode(200)
                .extract().jsonPath().getMap("runtime_env.env_vars");
        assertThat(env).containsOnlyKeys("DMLP_JOB_SPEC", "DMLP_CALLBACK_URL", "DMLP_CALLBACK_TOKEN");
        // Ray itself can say whose job it is
        assertThat(given().header("Authorization", RayAuth.authorizationHeader(ray).orElse(""))
                .when().get(ray.url() + "/api/jobs/" + jobId).then().statusCode(200)
                .extract().jsonPath().getMap("metadata", String.class, String.class))
                .containsEntry("tenant_id", tenant.id()).containsEntry("kind", "statistics")
                .containsEntry("owner_id", Long.toString(datasetId));
        assertThat(JsonPath.from(env.get("DMLP_JOB_SPEC")).getList("files", String.class)).isNotEmpty()
                .allSatisfy(file -> assertThat(file).startsWith(s3.endpoint() + "/" + s3.lakehouseBucket() + "/")
                        .contains("X-Amz-Expires=3600").contains("X-Amz-Signature="));
        assertThat(done.getInt("statistics.row_count")).isEqualTo(4);
        Map<String, Object> usage = done.getMap("statistics.columns.find { it.column_name == 'DataUsageGB' }");
        assertThat(usage).containsEntry("count", 4).containsEntry("missing", 0).containsEntry("mean", 2.25f)
                .containsEntry("min", 0.0f).containsEntry("max", 6.0f);
        Map<String, Object> customer = done.getMap("statistics.columns.find { it.column_name == 'CustomerID' }");
        assertThat(customer).containsEntry("distinct", 3);
        assertThat(done.getList("statistics.columns.find { it.column_name == 'CustomerID' }.top_values.value"))
                .first().isEqualTo("A");
        // running is announced when the service saw Ray running it (a short job may finish unseen)
        assertThat(eventTypes(jobId)).first().isEqualTo("io.dmlp.dataset.statistics.submitted.v1");
        assertThat(eventTypes(jobId)).last().isEqualTo("io.dmlp.dataset.statistics.completed.v1");
        assertThat(eventTypes(jobId)).doesNotHaveDuplicates().isSubsetOf("io.dmlp.dataset.statistics.submitted.v1",
                "io.dmlp.dataset.statistics.running.v1", "io.dmlp.dataset.statistics.completed.v1");
    }

    @Test
    void aCancelledJobIsStoppedOnRayAndAnnounced() throws Throwable {
        long datasetId = dataset();
        String jobId = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics").then().statusCode(200).extract().path("job_id");

        RayJob cancelled = cancel(tenant.id(), jobId);

        assertThat(cancelled.status).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.finishedAt).isNotNull();
        assertThat(status(datasetId)).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> given()
                .header("Authorization", RayAuth.authorizationHeader(ray).orElse(""))
                .when().get(ray.url() + "/api/jobs/" + jobId).then().statusCode(200).extract().path("status"),
                "STOPPED"::equals);
        assertThat(eventTypes(jobId)).last().isEqualTo("io.dmlp.dataset.statistics.cancelled.v1");
        assertThatThrownBy(() -> cancel(tenant.id(), jobId)).isInstanceOf(ConflictException.class);
    }

    @Test
    void deletingTheDatasetStopsItsUnfinishedJobOnRayAndAnnouncesIt() {
        long datasetId = dataset();
        String jobId = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics").then().statusCode(200).extract().path("job_id");

        given().auth().oauth2(tenant.token(3, "uma", "can_delete_datasets")).when()
                .delete("/api/v1/dataset/delete/" + datasetId).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> given()
                .header("Authorization", RayAuth.authorizationHeader(ray).orElse(""))
                .when().get(ray.url() + "/api/jobs/" + jobId).then().statusCode(200).extract().path("status"),
                "STOPPED"::equals);
        assertThat(eventTypes(jobId)).last().isEqualTo("io.dmlp.dataset.statistics.cancelled.v1");
    }

    @Test
    void aJobStoppedOnRayIsRecordedCancelled() {
        long datasetId = dataset();
        String jobId = "stat-test-" + UUID.randomUUID();
        rayClient.submit(jobId, "sleep 120", Map.of(), Map.of()).await().atMost(Duration.ofSeconds(30));
        insertRunning(jobId, datasetId, "2".repeat(64), 0);

        rayClient.stop(jobId).await().atMost(Duration.ofSeconds(30));

        JsonPath ended = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                        .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().jsonPath(),
                body -> !body.getString("status").equals("running"));
        assertThat(ended.getString("status")).isEqualTo("cancelled");
        assertThat(ended.getString("error")).isEqualTo("Stopped on Ray.");
        assertThat(eventTypes(jobId)).containsExactly("io.dmlp.dataset.statistics.cancelled.v1");
    }

    @Test
    void anotherTenantsJobIsUnknownToCancel() throws Throwable {
        long datasetId = dataset();
        Running job = runningJob(datasetId);

        assertThatThrownBy(() -> cancel(TestTokens.Tenant.random().id(), job.jobId()))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> cancel(tenant.id(), "stat-" + UUID.randomUUID()))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(status(datasetId)).isEqualTo("running");
    }

    private RayJob cancel(String tenantId, String jobId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> lifecycle.cancel(UUID.fromString(tenantId), jobId));
    }

    /** The types of the events announcing the job, oldest first. */
    private List<String> eventTypes(String jobId) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery("select event_type from outbox_event where payload::jsonb -> 'data' ->> 'job_id' = $1 "
                + "order by created_at, id").execute(Tuple.of(jobId)).await().indefinitely()
                .forEach(row -> types.add(row.getString(0)));
        return types;
    }

    @Test
    void aJobRayNoLongerKnowsIsFailedByTheReconciler() {
        long datasetId = dataset();
        String jobId = "stat-lost-" + UUID.randomUUID();
        insertRunning(jobId, datasetId, "0".repeat(64), 3600);

        JsonPath failed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                        .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().jsonPath(),
                body -> body.getString("status").equals("failed"));
        assertThat(failed.getString("job_id")).isEqualTo(jobId);
        assertThat(failed.getString("error")).isEqualTo("Ray no longer knows the job.");
    }

    @Test
    void theCallbackRefusesAnythingButTheJobsOwnCredential() {
        long datasetId = dataset();
        String jobId = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics").then().statusCode(200).extract().path("job_id");
        String forged = "{\"job_id\": \"" + jobId + "\", \"status\": \"succeeded\", \"statistics\": {\"row_count\": 1}}";

        given().contentType("application/json").body(forged)
                .when().post("/api/v1/dataset/statistics/result").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer " + "0".repeat(64)).body(forged)
                .when().post("/api/v1/dataset/statistics/result").then().statusCode(401);
        given().contentType("application/json").auth().oauth2(token).body(forged)
                .when().post("/api/v1/dataset/statistics/result").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer x")
                .body("{\"job_id\": \"stat-unknown\", \"status\": \"failed\"}")
                .when().post("/api/v1/dataset/statistics/result").then().statusCode(401);
    }

    /** A running job as start() records it, with a credential the test holds (no Ray needed for the callback). */
    private record Running(String jobId, String token) {
    }

    private Running runningJob(long datasetId) {
        JobCredential credential = JobCredential.issue();
        String jobId = "stat-test-" + UUID.randomUUID();
        insertRunning(jobId, datasetId, credential.hash(), 0);
        return new Running(jobId, credential.token());
    }

    /** A running statistics job of the dataset, submitted {@code secondsAgo}, that Ray knows nothing about. */
    private void insertRunning(String jobId, long datasetId, String callbackHash, int secondsAgo) {
        pool.preparedQuery("insert into ray_job (id, tenant_id, kind, owner_id, status, callback_hash, created_by, "
                + "submitted_at, started_at, ray_seen_at) values ($1, $2, 'statistics', $3, 'running', $4, 'uma', "
                + "now() - make_interval(secs => $5), now() - make_interval(secs => $5), now())")
                .execute(Tuple.of(jobId, UUID.fromString(tenant.id()), Long.toString(datasetId), callbackHash,
                        secondsAgo))
                .await().indefinitely();
    }

    private static String result(String jobId, int size) {
        String result = "{\"job_id\": \"" + jobId + "\", \"status\": \"succeeded\", \"statistics\": {\"row_count\": 4, "
                + "\"pad\": \"\"}}";
        return result.replace("\"pad\": \"\"", "\"pad\": \"" + "x".repeat(Math.max(0, size - result.length())) + "\"");
    }

    private String status(long datasetId) {
        return given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics").then().statusCode(200).extract().path("status");
    }

    @Test
    void aCallbackWithoutTheCredentialIsRefusedBeforeItsBodyIsRead() throws Exception {
        Running job = runningJob(dataset());
        byte[] start = new byte[64 * 1024];

        for (String authorization : new String[] {null, "Bearer " + "0".repeat(64), "Bearer " + token}) {
            long before = System.nanoTime();
            // 2 GB declared, 64 KiB sent: the answer can only come from a server that did not wait for the body
            RawHttp.Answer answer = RawHttp.postPartially(callback, authorization, 2_000_000_000L, start);

            assertThat(answer.status()).as(answer.text()).isEqualTo(401);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
            assertThat(answer.text()).contains("\"status_code\":401");
            assertThat(answer.closed()).as("the unread body is not drained: the connection closes").isTrue();
        }
        given().contentType("application/json").header("Authorization", "Bearer " + job.token())
                .body(result(job.jobId(), 100)).when().post("/api/v1/dataset/statistics/result").then().statusCode(200);
    }

    @Test
    void aCallbackBodyOverOneMebibyteIsRefusedCountingTheBytesReceived() throws Exception {
        long datasetId = dataset();
        Running job = runningJob(datasetId);
        String bearer = "Bearer " + job.token();
        byte[] tooLarge = result(job.jobId(), JobCallbacks.MAX_BODY_BYTES + 1).getBytes(StandardCharsets.UTF_8);

        assertThat(RawHttp.postPartially(callback, bearer, tooLarge.length, tooLarge).status()).isEqualTo(413);
        // without any Content-Length, the bytes received are what counts
        RawHttp.Answer chunked = RawHttp.postChunked(callback, bearer, tooLarge);
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
        assertThat(chunked.text()).contains("\"status_code\":413");
        assertThat(status(datasetId)).isEqualTo("running");

        byte[] atTheLimit = result(job.jobId(), JobCallbacks.MAX_BODY_BYTES).getBytes(StandardCharsets.UTF_8);
        assertThat(atTheLimit).hasSize(JobCallbacks.MAX_BODY_BYTES);
        assertThat(RawHttp.postChunked(callback, bearer, atTheLimit).status()).isEqualTo(200);
        assertThat(status(datasetId)).isEqualTo("completed");
    }

    @Test
    void aResultIsTakenOnceAndAReplayIsAConflict() throws Exception {
        long datasetId = dataset();
        Running job = runningJob(datasetId);

        given().contentType("application/json").header("Authorization", "Bearer " + job.token())
                .body(result(job.jobId(), 100)).when().post("/api/v1/dataset/statistics/result")
                .then().statusCode(200).body("status", equalTo("success"));
        assertThat(status(datasetId)).isEqualTo("completed");

        given().contentType("application/json").header("Authorization", "Bearer " + job.token())
                .body("{\"job_id\": \"" + job.jobId() + "\", \"status\": \"failed\", \"error\": \"forged\"}")
                .when().post("/api/v1/dataset/statistics/result").then().statusCode(409);
        // refused before the body: a replay with a huge body is answered at once
        RawHttp.Answer replay = RawHttp.postPartially(callback, "Bearer " + job.token(), 2_000_000_000L,
                new byte[1024]);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(status(datasetId)).isEqualTo("completed");
    }

    @Test
    void anotherTenantCannotSeeOrStartADatasetsStatistics() {
        long datasetId = dataset();
        String stranger = TestTokens.Tenant.random().token(4, "eve", "can_upload_datasets", "can_view");

        given().auth().oauth2(stranger).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics").then().statusCode(404);
        given().auth().oauth2(stranger).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics").then().statusCode(404);
        given().auth().oauth2(tenant.token(5, "vic", "can_view")).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics").then().statusCode(403);
    }
}
