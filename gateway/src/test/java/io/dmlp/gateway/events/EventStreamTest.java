package io.dmlp.gateway.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.dmlp.common.testing.TestEvents;
import io.dmlp.common.testing.TestTokens;
import io.dmlp.common.testing.TestTokens.Tenant;
import io.dmlp.gateway.events.SseClient.Block;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/events/stream against the local stack's Kafka: who may open it, and what each tenant receives. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class EventStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TRAINING = "dmlp.training.events";
    private static final String DATASET = "dmlp.dataset.events";
    private static final String INFERENCE = "dmlp.inference.events";
    private static final Pattern OPEN_STREAMS = Pattern.compile("(?m)^dmlp_gateway_event_streams(\\{[^}]*})? (\\S+)$");

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    KafkaTopicConfig topics;

    @Inject
    ObjectMapper json;

    @Inject
    EventStreams streams;

    @TestHTTPResource(EventStreamRoute.PATH)
    URI stream;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** Every key the same: the events of a test share one partition per topic, so they arrive in order. */
    private final String key = "event-stream-test/" + UUID.randomUUID();

    @BeforeEach
    void theReaderHasItsPlaceOnEveryPartition() {
        await().atMost(WAIT).until(streams::live);
    }

    @Test
    void anAnonymousCallerGets401InTheErrorBody() {
        given().header("X-Request-Id", "stream-anonymous")
                .when().get(EventStreamRoute.PATH)
                .then().statusCode(401)
                .contentType("application/json")
                .body("status_code", equalTo(401))
                .body("message", startsWith("Not authenticated"))
                .body("request_id", equalTo("stream-anonymous"));
    }

    @Test
    void aForgedOrForeignTokenGets401() {
        String valid = Tenant.random().token(1, "mallory", "can_view");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
                + parts[2].substring(1);

        for (String token : List.of("not.a.token", tampered)) {
            given().auth().oauth2(token).when().get(EventStreamRoute.PATH)
                    .then().statusCode(401).body("status_code", equalTo(401));
        }
    }

    @Test
    void aTokenWithoutCanViewGets403() {
        given().auth().oauth2(Tenant.random().token(2, "trent", "can_train_models"))
                .when().get(EventStreamRoute.PATH)
                .then().statusCode(403).body("status_code", equalTo(403));
    }

    @Test
    void aTokenOfAnEndedSessionGets401() throws Exception {
        String token = Tenant.random().token(3, "erin", "can_view");
        String sessionId = json.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).get("sid").asText();
        try (SseClient before = SseClient.open(stream, token)) {
            assertThat(before.response().statusCode()).isEqualTo(200);
        }

        CloudEvent ended = CloudEvent.of("/dmlp/auth-service", "auth", "session.ended", sessionId,
                UUID.randomUUID().toString(), json.valueToTree(Map.of("session_id", sessionId, "user_id", 3,
                        "reason", "logout", "ended_at", Instant.now().toString())));
        TestEvents.publish(kafkaConfig, topics.topic("dmlp.auth.events"), ended.partitionKey(),
                json.writeValueAsString(ended));

        await().atMost(WAIT).until(() -> given().auth().oauth2(token).when().get(EventStreamRoute.PATH)
                .statusCode() == 401);
    }

    @Test
    void eachTenantReceivesItsOwnJobEventsAndNothingElse() throws Exception {
        Tenant a = Tenant.random();
        Tenant b = Tenant.random();
        try (SseClient alice = SseClient.open(stream, a.token(10, "alice", "can_view"));
                SseClient bob = SseClient.open(stream, b.token(20, "bob", "can_view"))) {
            assertThat(alice.response().statusCode()).isEqualTo(200);
            assertThat(alice.response().headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(alice.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(alice.next(WAIT).lines()).containsExactly(": connected");
            assertThat(bob.next(WAIT).lines()).containsExactly(": connected");

            CloudEvent aSubmitted = publish(TRAINING, a, "training", "submitted");
            CloudEvent bRunning = publish(TRAINING, b, "training", "running");
            CloudEvent aShap = publish(TRAINING, a, "training", "shap.completed");
            CloudEvent bCancelled = publish(TRAINING, b, "training", "cancelled");
            CloudEvent aLast = publish(TRAINING, a, "training", "failed");
            CloudEvent aValidated = publish(DATASET, a, "dataset", "dataset.validated");
            CloudEvent aStatistics = publish(DATASET, a, "dataset", "statistics.completed");

            List<Block> toAlice = alice.messagesUntil(List.of(aLast.id(), aStatistics.id()), WAIT);
            List<Block> toBob = bob.messagesUntil(List.of(bCancelled.id()), WAIT);

            // Each foreign or non-job event precedes, in its partition, one the client waited for: it had its chance.
            assertThat(ids(toAlice))
                    .containsExactlyInAnyOrder(aSubmitted.id(), aShap.id(), aLast.id(), aStatistics.id())
                    .doesNotContain(bRunning.id(), bCancelled.id(), aValidated.id());
            assertThat(ids(toAlice)).containsSubsequence(aSubmitted.id(), aShap.id(), aLast.id());
            assertThat(ids(toBob)).containsExactly(bRunning.id(), bCancelled.id());

            Block statistics = toAlice.stream().filter(message -> aStatistics.id().equals(message.field("id")))
                    .findFirst().orElseThrow();
            assertThat(statistics.field("event")).isEqualTo("io.dmlp.dataset.statistics.completed.v1");
            JsonNode data = json.readTree(statistics.field("data"));
            assertThat(data.get("id").asText()).isEqualTo(aStatistics.id());
            assertThat(data.get("type").asText()).isEqualTo("io.dmlp.dataset.statistics.completed.v1");
            assertThat(data.get("tenantid").asText()).isEqualTo(a.id());
            assertThat(data.get("specversion").asText()).isEqualTo("1.0");
            assertThat(data.get("data").get("job_id").asText()).isEqualTo(aStatistics.subject());
        }
    }

    @Test
    void typesKeepsOnlyTheEventsOfThosePrefixes() throws Exception {
        Tenant a = Tenant.random();
        URI onlyShapAndInference = URI.create(stream + "?types=io.dmlp.training.shap.,io.dmlp.inference.");
        try (SseClient carol = SseClient.open(onlyShapAndInference, a.token(30, "carol", "can_view"))) {
            assertThat(carol.next(WAIT).lines()).containsExactly(": connected");

            CloudEvent running = publish(TRAINING, a, "training", "running");
            CloudEvent shap = publish(TRAINING, a, "training", "shap.completed");
            CloudEvent forecast = publish(INFERENCE, a, "inference", "forecast.completed");

            // The training event that is not kept precedes the SHAP event in their partition.
            assertThat(ids(carol.messagesUntil(List.of(shap.id(), forecast.id()), WAIT)))
                    .containsExactlyInAnyOrder(shap.id(), forecast.id()).doesNotContain(running.id());
        }
    }

    @Test
    void aClientThatHangsUpIsForgotten() throws Exception {
        try (SseClient dave = SseClient.open(stream, Tenant.random().token(40, "dave", "can_view"))) {
            assertThat(dave.next(WAIT).lines()).containsExactly(": connected");
            assertThat(openStreams()).isGreaterThanOrEqualTo(1);
        }
        await().atMost(WAIT).until(() -> openStreams() == 0);
    }

    /**
     * An event of {@code tenant} as the outbox relay publishes it; subject and job id are fresh. Only types no service
     * consumes: services of another test run on the same test topics may be reading them.
     */
    private CloudEvent publish(String topic, Tenant tenant, String domain, String name) throws Exception {
        String jobId = UUID.randomUUID().toString();
        CloudEvent event = CloudEvent.of("/dmlp/test", domain, name, jobId, tenant.id(),
                json.valueToTree(Map.of("job_id", jobId, "status", name)));
        TestEvents.publish(kafkaConfig, topics.topic(topic), key, json.writeValueAsString(event));
        return event;
    }

    private static List<String> ids(List<Block> messages) {
        return messages.stream().map(message -> message.field("id")).toList();
    }

    private double openStreams() {
        String metrics = given().when().get(management + "metrics").then().statusCode(200).extract().asString();
        Matcher gauge = OPEN_STREAMS.matcher(metrics);
        assertThat(gauge.find()).as("dmlp_gateway_event_streams in /q/metrics").isTrue();
        return Double.parseDouble(gauge.group(2));
    }
}
