package io.dmlp.inference.event;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.dmlp.common.testing.TestEvents;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * dataset-service's {@code file.added} for a batch result gives the prediction its {@code file_id}; the same event
 * from another tenant changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ResultFileTest {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    KafkaTopicConfig topics;

    @Inject
    Pool database;

    @Inject
    ObjectMapper json;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final TestTokens.Tenant other = TestTokens.Tenant.random();

    private long batchPrediction() {
        return database.preparedQuery("insert into prediction (tenant_id, train_id, predictor_name, problem_type,"
                + " prediction_type, dataset_id, input_data, created_by, created_at) values ($1, 1, 'p',"
                + " 'Classification', 'batch', 7, 'dataset_id:7', 'rita', $2) returning id")
                .execute(Tuple.of(UUID.fromString(tenant.id()), OffsetDateTime.now()))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("id");
    }

    private void fileAdded(String tenantId, long predictionId, long fileId) throws Exception {
        CloudEvent event = CloudEvent.of("/dmlp/dataset-service", "dataset", "file.added", "7", tenantId,
                json.valueToTree(Map.of("dataset_id", 7, "file_id", fileId, "is_valid", false,
                        "prediction_id", predictionId)));
        TestEvents.publish(kafkaConfig, topics.topic("dmlp.dataset.events"), event.partitionKey(),
                json.writeValueAsString(event));
    }

    private Object fileId(long predictionId) {
        return given().auth().oauth2(tenant.token(51, "rita", "can_view")).when()
                .get("/api/v1/inference/result?prediction_id=" + predictionId).then().statusCode(200)
                .extract().path("file_id");
    }

    @Test
    void theResultFileOfTheTenantsBatchIsKept() throws Exception {
        long mine = batchPrediction();
        long forged = batchPrediction();

        fileAdded(other.id(), forged, 99);
        fileAdded(tenant.id(), mine, 42);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> Integer.valueOf(42).equals(fileId(mine)));
        given().auth().oauth2(tenant.token(51, "rita", "can_view")).when()
                .get("/api/v1/inference/result?prediction_id=" + forged).then().statusCode(200)
                .body("file_id", nullValue());
    }
}
