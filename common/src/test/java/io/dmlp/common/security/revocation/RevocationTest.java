package io.dmlp.common.security.revocation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.dmlp.common.testing.TestEvents;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ending a session refuses its tokens, through the real Kafka of the local stack. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class RevocationTest {

    private static final String AUTH_TOPIC = "dmlp.auth.events";
    private static final Duration LOOK_BACK = Duration.ofMinutes(16);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    KafkaTopicConfig topics;

    @Inject
    ObjectMapper json;

    /** Health is served on the management interface only. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aTokenOfAnEndedSessionIsRefusedWithinSeconds() throws Exception {
        String tenant = UUID.randomUUID().toString();
        String token = TestTokens.token(7, "erin", tenant, "can_view");
        String otherSessionsToken = TestTokens.token(7, "erin", tenant, "can_view");
        given().auth().oauth2(token).when().get("/probe/caller").then().statusCode(200);

        long start = System.nanoTime();
        publish(sessionEnded(sessionOf(token), Instant.now()));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO)
                .until(() -> given().auth().oauth2(token).when().get("/probe/caller").statusCode() == 401);
        long delayMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Revocation delay, session.ended published to the first 401: %d ms%n", delayMs);

        given().auth().oauth2(otherSessionsToken).when().get("/probe/caller").then().statusCode(200);
    }

    @Test
    void anEndedSessionGetsTheSame401AsAForgedToken() throws Exception {
        String token = TestTokens.token(8, "frank", UUID.randomUUID().toString(), "can_view");
        publish(sessionEnded(sessionOf(token), Instant.now()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> given().auth().oauth2(token).when().get("/probe/caller").statusCode() == 401);

        Response ended = given().auth().oauth2(token).when().get("/probe/caller");
        Response forged = given().auth().oauth2("not.a.token").when().get("/probe/caller");

        assertThat(ended.statusCode()).isEqualTo(forged.statusCode()).isEqualTo(401);
        assertThat(ended.contentType()).isEqualTo(forged.contentType()).startsWith("application/json");
        assertThat(ended.header("WWW-Authenticate")).isEqualTo(forged.header("WWW-Authenticate"));
        assertThat(ended.jsonPath().getString("message")).isEqualTo(forged.jsonPath().getString("message"));
        assertThat(ended.jsonPath().getInt("status_code")).isEqualTo(401);
        System.out.printf("401 of an ended session: WWW-Authenticate %s, message '%s'%n",
                ended.header("WWW-Authenticate"), ended.jsonPath().getString("message"));
    }

    @Test
    void endingsPublishedBeforeStartAreReadBackAndOldOnesAreNot() throws Exception {
        String recent = UUID.randomUUID().toString();
        String expired = UUID.randomUUID().toString();
        publish(sessionEnded(recent, Instant.now().minus(Duration.ofMinutes(5))));
        publish(sessionEnded(expired, Instant.now().minus(LOOK_BACK).minusSeconds(60)));

        RevokedSessions sessions = new RevokedSessions(LOOK_BACK, 1000, Clock.systemUTC());
        SessionEndedConsumer consumer = new SessionEndedConsumer(kafkaConfig, topics.topic(AUTH_TOPIC), LOOK_BACK,
                Duration.ofSeconds(1), sessions, json, Clock.systemUTC());
        Thread thread = new Thread(consumer, "revocation-catch-up-test");
        thread.start();
        try {
            assertThat(consumer.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(sessions.isEnded(recent)).isTrue();
            assertThat(sessions.isEnded(expired)).isFalse();
        } finally {
            consumer.close();
            thread.join(10_000);
        }
    }

    @Test
    void readinessReportsTheCatchUp() {
        given().when().get(management + "health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("revocation"))
                .body("checks.find { it.name == 'revocation' }.status", equalTo("UP"));
    }

    /** As auth-service writes it through the outbox (contract 3). */
    private CloudEvent sessionEnded(String sessionId, Instant endedAt) {
        return CloudEvent.of("/dmlp/auth-service", "auth", "session.ended", sessionId,
                UUID.randomUUID().toString(), json.valueToTree(Map.of("session_id", sessionId, "user_id", 7,
                        "reason", "logout", "ended_at", endedAt.toString())));
    }

    /** As the outbox relay publishes it: structured mode, to this environment's topic. */
    private void publish(CloudEvent event) throws Exception {
        TestEvents.publish(kafkaConfig, topics.topic(AUTH_TOPIC), event.partitionKey(), json.writeValueAsString(event));
    }

    private String sessionOf(String token) throws Exception {
        byte[] claims = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        return json.readTree(claims).get("sid").asText();
    }
}
