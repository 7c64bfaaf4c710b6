package io.dmlp.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Template deletion follows dataset events from Kafka: refused while a dataset uses the template. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class TemplateUsageTest {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    ObjectMapper json;

    @Test
    void aTemplateInUseCannotBeDeletedUntilItsDatasetsAreGone() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(21, "dana", "can_manage_templates", "can_view");
        long templateId = new TemplateApiTest().create(token, TemplateApiTest.telecom("In use " + UUID.randomUUID()));
        long datasetId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);

        CloudEvent created = CloudEvent.of("/dmlp/dataset-service", "dataset", "dataset.created",
                Long.toString(datasetId), tenant.id(),
                json.valueToTree(Map.of("dataset_id", datasetId, "template_id", templateId, "template_version", 1)));
        publish(created);
        publish(created); // a redelivery changes nothing

        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(token)
                .when().get("/api/v1/template/" + templateId).jsonPath().getInt("used_by_datasets") == 1);
        given().auth().oauth2(token).when().delete("/api/v1/template/" + templateId)
                .then().statusCode(409).body("message", containsString("used by 1 dataset"));

        publish(CloudEvent.of("/dmlp/dataset-service", "dataset", "dataset.deleted", Long.toString(datasetId),
                tenant.id(), json.valueToTree(Map.of("dataset_id", datasetId))));

        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(token)
                .when().delete("/api/v1/template/" + templateId).statusCode() == 200);
    }

    private void publish(CloudEvent event) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafkaConfig.get("bootstrap.servers")),
                new StringSerializer(), new StringSerializer())) {
            // As the outbox relay publishes it: structured mode, with the CloudEvents content type.
            ProducerRecord<String, String> record = new ProducerRecord<>("dmlp.dataset.events", event.partitionKey(),
                    json.writeValueAsString(event));
            record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
