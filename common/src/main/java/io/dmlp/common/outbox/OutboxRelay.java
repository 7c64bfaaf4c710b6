package io.dmlp.common.outbox;

import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka as structured CloudEvents, oldest first, and marks them published.
 * Rows name the base topic; the relay publishes to this environment's ({@link KafkaTopicConfig#topic}).
 * Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several replicas of a service can relay
 * side by side. Delivery is at least once (a crash between Kafka's ack and the commit republishes);
 * consumers deduplicate on the event id with {@link IdempotentConsumer}.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.outbox.enabled", stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final String CLAIM = "select id, topic, message_key, payload from outbox_event"
            + " where published_at is null order by created_at, id limit $1 for update skip locked";
    static final String MARK_PUBLISHED = "update outbox_event set published_at = now(), attempts = attempts + 1,"
            + " last_error = null where id = any($1)";
    static final String PURGE = "delete from outbox_event where published_at < now() - make_interval(secs => $1)";
    static final String MARK_FAILED = "update outbox_event set attempts = attempts + 1, last_error = $2 where id = $1";

    private final Pool pool;
    private final OutboxConfig config;
    private final KafkaTopicConfig topics;
    private final Producer<String, String> producer;
    private volatile boolean kafkaWasDown;
    private volatile boolean stopping;

    public OutboxRelay(Pool pool, OutboxConfig config, KafkaTopicConfig topics,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.pool = pool;
        this.config = config;
        this.topics = topics;
        this.producer = new KafkaProducer<>(producerConfig(kafkaConfig), new StringSerializer(),
                new StringSerializer());
    }

    private static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail fast when Kafka is away: the rows stay in the outbox and the next poll retries.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return props;
    }

    @Scheduled(every = "${dmlp.outbox.poll-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (stopping) {
            return;
        }
        try {
            int published;
            do {
                published = relayBatch().await().atMost(config.sendTimeout().multipliedBy(2));
            } while (published == config.batchSize());
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay pass failed, will retry: %s", e.getMessage());
        }
    }

    /** Published rows are kept a while for audit and replay, then deleted. */
    @Scheduled(every = "1h", delayed = "1m")
    Uni<Void> purgePublished() {
        return pool.preparedQuery(PURGE).execute(Tuple.of((double) config.retention().toSeconds())).replaceWithVoid();
    }

    /** Publishes one batch; returns how many rows were published. */
    public Uni<Integer> relayBatch() {
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize()))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(rows -> publishAndMark(connection, rows)));
    }

    private Uni<Integer> publishAndMark(SqlConnection connection, RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (Row row : rows) {
            ids.add(row.getUUID("id"));
            ProducerRecord<String, String> record = new ProducerRecord<>(topics.topic(row.getString("topic")),
                    row.getString("message_key"), row.getString("payload"));
            record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            sends.add(producer.send(record));
        }
        List<UUID> published = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                published.add(ids.get(i));
            } catch (Exception e) {
                // Keep order: stop at the first failure, later rows go out with it on the next pass.
                reportKafkaDown(e);
                UUID failedId = ids.get(i);
                String reason = String.valueOf(e.getCause() != null ? e.getCause() : e);
                return markPublished(connection, published)
                        .chain(() -> connection.preparedQuery(MARK_FAILED)
                                .execute(Tuple.of(failedId, reason.substring(0, Math.min(1000, reason.length())))))
                        .replaceWith(published.size());
            }
        }
        if (kafkaWasDown && !published.isEmpty()) {
            kafkaWasDown = false;
            LOG.info("Outbox relay publishes to Kafka again");
        }
        return markPublished(connection, published).replaceWith(published.size());
    }

    private Uni<Void> markPublished(SqlConnection connection, List<UUID> published) {
        if (published.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(MARK_PUBLISHED)
                .execute(Tuple.of(published.toArray(UUID[]::new)))
                .replaceWithVoid();
    }

    private void reportKafkaDown(Exception e) {
        if (!kafkaWasDown) {
            kafkaWasDown = true;
            LOG.warnf("Outbox relay cannot publish to Kafka, events wait in the outbox: %s", e.getMessage());
        }
    }

    void close(@Observes ShutdownEvent shutdown) {
        stopping = true;
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
