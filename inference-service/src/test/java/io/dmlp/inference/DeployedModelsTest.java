package io.dmlp.inference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.dmlp.common.testing.TestEvents;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read model of deployable models: rebuilt from training-service's list on start, then moved by the training
 * events; each change only ever touches its own tenant's model. Seen through the form endpoint, which answers from it.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(TrainingStub.class)
class DeployedModelsTest {

    private static final String TOPIC = "dmlp.training.events";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    KafkaTopicConfig topics;

    @Inject
    ObjectMapper json;

    private final String listedTenant = TestTokens.token(1, "lee", TrainingStub.TENANT, "can_view");

    /** The list is read once the events' partitions are assigned: from then on no event is missed. */
    @BeforeEach
    void followingTheEvents() {
        await().atMost(Duration.ofSeconds(60)).until(() -> form(listedTenant, TrainingStub.LISTED).statusCode() == 200);
    }

    @Test
    void theListedModelIsKnownWithItsInputsToItsTenantOnly() {
        form(listedTenant, TrainingStub.LISTED).then().statusCode(200)
                .body("target", equalTo("churn")).body("preprocess_id", equalTo(41))
                .body("headers.column_name", contains("tenure", "plan"))
                .body("headers.default_value", contains("24", null));
        String stranger = TestTokens.Tenant.random().token(2, "max", "can_view");
        form(stranger, TrainingStub.LISTED).then().statusCode(404);
    }

    @Test
    void eventsAddMoveAndRemoveAModelOfTheirOwnTenantOnly() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(3, "ann", "can_view");
        long trainId = 20_000 + (System.nanoTime() % 100_000);

        publish(event(tenant.id(), "completed", trainId, 5));
        await().atMost(Duration.ofSeconds(30)).until(() -> form(token, trainId).statusCode() == 200);

        publish(event(tenant.id(), "model.updated", trainId, 6));
        await().atMost(Duration.ofSeconds(30)).until(() -> form(token, trainId).jsonPath().getInt("preprocess_id") == 6);

        // A deletion claimed by another tenant changes nothing; a marker behind it on the partition shows it was read.
        publish(event(UUID.randomUUID().toString(), "model.deleted", trainId, 6));
        publish(event(tenant.id(), "model.updated", trainId, 7));
        await().atMost(Duration.ofSeconds(30)).until(() -> form(token, trainId).jsonPath().getInt("preprocess_id") == 7);

        publish(event(tenant.id(), "model.deleted", trainId, 7));
        await().atMost(Duration.ofSeconds(30)).until(() -> form(token, trainId).statusCode() == 404);
    }

    private static io.restassured.response.Response form(String token, long trainId) {
        return given().auth().oauth2(token).queryParam("id", trainId)
                .when().get("/api/v1/inference/form-based-prediction");
    }

    private CloudEvent event(String tenantId, String name, long trainId, long preprocessId) {
        ObjectNode data = json.createObjectNode().put("train_id", trainId).put("predictor_name", "p" + trainId)
                .put("problem_type", "Regression").put("dataset_id", 1).put("preprocess_id", preprocessId);
        if (name.equals("completed")) {
            data.set("model", json.valueToTree(Map.of("algorithm", "LinearRegression",
                    "artifacts", "s3://dmlp-test/models/none/" + trainId + "/",
                    "schema", java.util.List.of(Map.of("column_name", "x", "data_type", "Float")),
                    "target", Map.of("column_name", "y", "data_type", "Float"), "metrics", Map.of())));
        }
        return CloudEvent.of("/dmlp/training-service", "training", name, Long.toString(trainId), tenantId, data);
    }

    private void publish(CloudEvent event) throws Exception {
        TestEvents.publish(kafkaConfig, topics.topic(TOPIC), event.subject(), json.writeValueAsString(event));
    }
}
