package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.dmlp.common.testing.TestEvents;
import io.dmlp.common.testing.TestTokens;
import io.dmlp.lakehouse.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.path.json.JsonPath;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A completed batch prediction's result CSV becomes a file of its dataset that downloads, once however often the
 * event comes; a result outside the event tenant's prediction folder is not taken.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class PredictionResultFileTest {

    private static final String CSV = "CustomerID,prediction\nC-1,true\nC-2,false\n";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    KafkaTopicConfig topics;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final TestTokens.Tenant other = TestTokens.Tenant.random();
    private final String token = tenant.token(5, "pia", "can_upload_datasets", "can_view");

    private long dataset() {
        // The first upload of the application connects the lakehouse: more than the default 30 s on a busy machine.
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 120_000)))
                .auth().oauth2(token).queryParam("dataset_name", "scored " + UUID.randomUUID())
                .queryParam("usage", "p").queryParam("template_id", 5)
                .multiPart("files", "rows.csv", DatasetUploadTest.GOOD.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath()
                .getLong("dataset_id");
    }

    private String result(String tenantId, long predictionId) {
        String key = "predictions/" + tenantId + "/" + predictionId + "/result.csv";
        byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(bytes), bytes.length, "text/csv");
        return key;
    }

    private CloudEvent completed(String tenantId, long datasetId, long predictionId, String key) {
        return CloudEvent.of("/dmlp/inference-service", "inference", "batch_prediction.completed",
                Long.toString(predictionId), tenantId, json.valueToTree(Map.of("prediction_id", predictionId,
                        "dataset_id", datasetId, "result_path", store.location(key), "status", "completed",
                        "columns", List.of("CustomerID", "prediction"))));
    }

    private void publish(CloudEvent event) throws Exception {
        TestEvents.publish(kafkaConfig, topics.topic("dmlp.inference.events"), event.tenantid() + "/" + event.subject(),
                json.writeValueAsString(event));
    }

    private JsonPath files(long datasetId) {
        return given().auth().oauth2(token).queryParam("dataset_id", datasetId).when().get("/api/v1/files/list")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theResultBecomesOneDownloadableFileOfTheDataset() throws Exception {
        long datasetId = dataset();
        long predictionId = System.nanoTime() % 1_000_000_000L;
        String key = result(tenant.id(), predictionId);
        CloudEvent event = completed(tenant.id(), datasetId, predictionId, key);

        publish(event);
        publish(event); // redelivered

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> files(datasetId).getList("data.file_name").size() == 2);
        JsonPath listed = files(datasetId);
        assertOneResult(listed, predictionId);
        given().auth().oauth2(token).queryParam("file_path", key).when().get("/api/v1/files/download")
                .then().statusCode(200).body(equalTo(CSV));
        // The upload's own file still decides whether the dataset is valid.
        given().auth().oauth2(token).queryParam("dataset_id", datasetId).when().get("/api/v1/dataset/get_dataset_by_id")
                .then().statusCode(200).body("is_valid", equalTo(true));
    }

    private static void assertOneResult(JsonPath listed, long predictionId) {
        List<String> names = listed.getList("data.file_name");
        org.assertj.core.api.Assertions.assertThat(names)
                .containsOnlyOnce("prediction_" + predictionId + "_result.csv");
    }

    @Test
    void aResultOutsideTheEventTenantsFolderIsNotTaken() throws Exception {
        long datasetId = dataset();
        long predictionId = System.nanoTime() % 1_000_000_000L;
        String foreign = result(other.id(), predictionId);

        publish(completed(tenant.id(), datasetId, predictionId, foreign));
        // A valid event after it shows the consumer has moved past the forged one.
        long next = predictionId + 1;
        publish(completed(tenant.id(), datasetId, next, result(tenant.id(), next)));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> files(datasetId).getList("data.file_name").size() == 2);
        given().auth().oauth2(token).queryParam("dataset_id", datasetId).when().get("/api/v1/files/list")
                .then().body("data.file_name", not(hasItem("prediction_" + predictionId + "_result.csv")))
                .body("data.file_name", hasItem("prediction_" + next + "_result.csv"));
    }
}
