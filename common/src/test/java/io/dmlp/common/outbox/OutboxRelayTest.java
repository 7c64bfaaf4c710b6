package io.dmlp.common.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.KafkaTopicConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The outbox against the real PostgreSQL and Kafka of the local stack. */
@QuarkusTest
class OutboxRelayTest {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    Pool pool;

    @Inject
    IdempotentConsumer idempotentConsumer;

    @Inject
    KafkaTopicConfig topics;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anEventCommittedWithItsStateReachesKafkaAsACloudEvent() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            String eventId = given().queryParam("name", "gear")
                    .when().post("/probe/widgets")
                    .then().statusCode(200)
                    .extract().path("event_id");

            ConsumerRecord<String, String> record = awaitRecord(consumer, eventId);
            // Tests publish to their own topics: a test run beside a running platform never feeds its consumers.
            assertThat(record.topic()).isEqualTo("test." + WidgetResource.TOPIC);
            JsonNode event = json.readTree(record.value());
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("type").asText()).isEqualTo("io.dmlp.widget.created.v1");
            assertThat(event.get("source").asText()).isEqualTo("/dmlp/common-test");
            assertThat(event.get("tenantid").asText()).isEqualTo("tenant-a");
            assertThat(event.get("data").get("name").asText()).isEqualTo("gear");
            assertThat(record.key()).isEqualTo("tenant-a/" + event.get("subject").asText());
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("application/cloudevents+json");
            await().atMost(Duration.ofSeconds(10)).until(() -> publishedAt(eventId) != null);
        }
    }

    @Test
    void aRolledBackChangeLeavesNoEventBehind() {
        String message = given().queryParam("name", "ghost").queryParam("fail", true)
                .when().post("/probe/widgets")
                .then().statusCode(409)
                .extract().path("message");
        String eventId = message.substring(message.lastIndexOf(' ') + 1);

        long rows = pool.preparedQuery("select count(*) from outbox_event where id = $1")
                .execute(Tuple.of(UUID.fromString(eventId))).await().indefinitely()
                .iterator().next().getLong(0);
        long widgets = pool.preparedQuery("select count(*) from widget where name = 'ghost'")
                .execute().await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isZero();
        assertThat(widgets).isZero();
    }

    @Test
    @RunOnVertxContext
    void aRedeliveredEventIsHandledOnce(UniAsserter asserter) {
        AtomicInteger handled = new AtomicInteger();
        String eventId = UUID.randomUUID().toString();
        Supplier<Uni<?>> handler = () -> Uni.createFrom().item(handled.incrementAndGet());

        asserter.assertEquals(() -> idempotentConsumer.processOnce("test-consumer", eventId, handler), true);
        asserter.assertEquals(() -> idempotentConsumer.processOnce("test-consumer", eventId, handler), false);
        asserter.execute(() -> assertThat(handled).hasValue(1));
    }

    private Object publishedAt(String eventId) {
        return pool.preparedQuery("select published_at from outbox_event where id = $1")
                .execute(Tuple.of(UUID.fromString(eventId))).await().indefinitely()
                .iterator().next().getValue(0);
    }

    private KafkaConsumer<String, String> consumerAtEnd() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            partitions.clear();
            consumer.partitionsFor(topics.topic(WidgetResource.TOPIC)).forEach(info ->
                    partitions.add(new TopicPartition(info.topic(), info.partition())));
            return !partitions.isEmpty();
        });
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private ConsumerRecord<String, String> awaitRecord(KafkaConsumer<String, String> consumer, String eventId) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                if (record.value().contains(eventId)) {
                    found.add(record);
                }
            });
            return !found.isEmpty();
        });
        return found.get(0);
    }
}
