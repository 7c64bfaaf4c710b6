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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
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

    @Inject
    OutboxRelay relay;

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

    @Test
    void racingRelaysPublishEachEventExactlyOnceAndInOrderPerKey() {
        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            String run = UUID.randomUUID().toString();
            Map<UUID, String> keys = new LinkedHashMap<>(); // in append order
            pool.withTransaction(connection -> {
                Uni<Void> appended = Uni.createFrom().voidItem();
                for (int i = 0; i < 60; i++) {
                    String key = "race-" + run + "/" + i % 6;
                    appended = appended.chain(() -> append(connection, WidgetResource.TOPIC, key)
                            .invoke(id -> keys.put(id, key)).replaceWithVoid());
                }
                return appended;
            }).await().indefinitely();

            // Four relays at once, beside the scheduled one, until the outbox is empty.
            List<Uni<Void>> relays = IntStream.range(0, 4).mapToObj(i -> relayUntilEmpty(run)).toList();
            Uni.join().all(relays).andFailFast().await().atMost(Duration.ofSeconds(60));

            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, keys.keySet());
            Map<UUID, Long> copies = new LinkedHashMap<>();
            Map<String, List<UUID>> arrivedByKey = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                UUID id = idOf(record);
                copies.merge(id, 1L, Long::sum);
                arrivedByKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(id);
            }
            assertThat(copies).hasSize(keys.size()).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
            keys.keySet().forEach(id -> assertThat(publishedAt(id.toString())).isNotNull());
            Map<String, List<UUID>> appendedByKey = new LinkedHashMap<>();
            keys.forEach((id, key) -> appendedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id));
            assertThat(arrivedByKey).isEqualTo(appendedByKey);
        }
    }

    @Test
    void aFailedPublishLeavesTheEventToBeRetriedAndHoldsBackItsKey() {
        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            String key = "retry-" + UUID.randomUUID();
            // A topic name Kafka refuses: every send of this row fails until it is corrected.
            UUID failing = appendNow("dmlp.not a topic", key);
            await().atMost(Duration.ofSeconds(20)).until(() -> column(failing, "last_error") != null);
            UUID behind = appendNow(WidgetResource.TOPIC, key);
            UUID unrelated = appendNow(WidgetResource.TOPIC, "other-" + UUID.randomUUID());

            assertThat(awaitRecords(consumer, List.of(unrelated))).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> publishedAt(unrelated.toString()) != null);
            // Not lost and not marked: the failed row waits with its attempts counted, the row behind it waits too.
            assertThat(publishedAt(failing.toString())).isNull();
            assertThat((Integer) column(failing, "attempts")).isPositive();
            assertThat((String) column(failing, "last_error")).containsIgnoringCase("topic");
            assertThat(publishedAt(behind.toString())).isNull();

            pool.preparedQuery("update outbox_event set topic = $2 where id = $1")
                    .execute(Tuple.of(failing, WidgetResource.TOPIC)).await().indefinitely();
            List<ConsumerRecord<String, String>> records = awaitRecords(consumer, List.of(failing, behind));
            assertThat(records).extracting(this::idOf).containsExactly(failing, behind);
            await().atMost(Duration.ofSeconds(10)).until(() -> publishedAt(behind.toString()) != null);
            assertThat(column(failing, "last_error")).isNull();
        }
    }

    /** Relays batch after batch until no event of this run is left unpublished. */
    private Uni<Void> relayUntilEmpty(String run) {
        return relay.relayBatch()
                .chain(() -> pool.preparedQuery("select count(*) from outbox_event where published_at is null"
                        + " and message_key like $1").execute(Tuple.of("race-" + run + "/%")))
                .chain(rows -> rows.iterator().next().getLong(0) == 0 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20))
                                .chain(() -> relayUntilEmpty(run)));
    }

    private static Uni<UUID> append(io.vertx.mutiny.sqlclient.SqlClient client, String topic, String key) {
        UUID id = UUID.randomUUID();
        return client.preparedQuery("insert into outbox_event (id, topic, message_key, event_type, tenant_id, payload)"
                + " values ($1, $2, $3, 'io.dmlp.test.relayed.v1', 'tenant-a', $4)")
                .execute(Tuple.of(id, topic, key, "{\"id\": \"" + id + "\"}")).replaceWith(id);
    }

    private UUID appendNow(String topic, String key) {
        return append(pool, topic, key).await().indefinitely();
    }

    private UUID idOf(ConsumerRecord<String, String> record) {
        try {
            return UUID.fromString(json.readTree(record.value()).get("id").asText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object column(UUID id, String column) {
        return pool.preparedQuery("select " + column + " from outbox_event where id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getValue(0);
    }

    /** The records of these events in arrival order, with any duplicate that follows within a second. */
    private List<ConsumerRecord<String, String>> awaitRecords(KafkaConsumer<String, String> consumer,
            Collection<UUID> ids) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        List<String> wanted = ids.stream().map(UUID::toString).toList();
        Runnable pollOnce = () -> consumer.poll(Duration.ofMillis(200)).forEach(record -> {
            if (wanted.stream().anyMatch(record.value()::contains)) {
                found.add(record);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            pollOnce.run();
            return found.stream().map(this::idOf).distinct().count() == ids.size();
        });
        for (int i = 0; i < 5; i++) {
            pollOnce.run();
        }
        return found;
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
