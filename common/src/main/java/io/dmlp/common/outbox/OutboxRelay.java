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
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka as structured CloudEvents, in the order they were appended, and marks them
 * published. Rows name the base topic; the relay publishes to this environment's ({@link KafkaTopicConfig#topic}).
 * <p>
 * A batch goes through three steps, and no database transaction is open while Kafka is waited for: a slow or
 * absent Kafka would otherwise hold row locks and a pooled connection for up to the send timeout on every pass.
 * <ol>
 * <li><b>Claim</b> (one statement, committed at once): the oldest unpublished rows nobody holds are locked with
 * {@code FOR UPDATE SKIP LOCKED} and given a lease ({@code claimed_until}, twice
 * {@link OutboxConfig#sendTimeout()}). Another relay (a replica of the service) skips them, so two never publish
 * a row at the same time; the rows of a relay that stopped before marking them are claimed again once the lease
 * is over. A row is not claimed while an earlier unpublished row of its key is held elsewhere or failed on its
 * last attempt, so the events of one key (one resource: {@link CloudEvent#partitionKey()}) leave in order and
 * wait behind a failing one.</li>
 * <li><b>Publish</b>, outside any transaction, without blocking the scheduler's thread.</li>
 * <li><b>Mark</b> (one short transaction): the acknowledged rows are published; a failed row records the attempt
 * and why; the failed row and the later rows of its key are released to the next pass, in order.</li>
 * </ol>
 * Delivery is at least once (a stop between Kafka's acknowledgement and the mark republishes); consumers
 * deduplicate on the event id with {@link IdempotentConsumer}.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.outbox.enabled", stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final String CLAIM = """
            with candidate as materialized (
                select id, seq, message_key from outbox_event
                where published_at is null and (claimed_until is null or claimed_until < now())
                order by seq limit $1
                for update skip locked),
            claimed as (
                update outbox_event o set claimed_until = now() + make_interval(secs => $2)
                from candidate c
                where o.id = c.id and not exists (
                    select 1 from outbox_event earlier
                    where earlier.message_key = c.message_key and earlier.published_at is null
                      and earlier.seq < c.seq
                      and (earlier.id not in (select id from candidate) or earlier.last_error is not null))
                returning o.id, o.seq, o.topic, o.message_key, o.payload)
            select id, topic, message_key, payload from claimed order by seq""";
    static final String MARK_PUBLISHED = "update outbox_event set published_at = now(), claimed_until = null,"
            + " attempts = attempts + 1, last_error = null where id = any($1)";
    static final String MARK_FAILED = "update outbox_event o set claimed_until = null, attempts = attempts + 1,"
            + " last_error = failed.error from unnest($1::uuid[], $2::varchar[]) as failed (id, error)"
            + " where o.id = failed.id";
    static final String RELEASE = "update outbox_event set claimed_until = null where id = any($1)";
    static final String PURGE = "delete from outbox_event where published_at < now() - make_interval(secs => $1)";

    /** A claimed row, as it goes to Kafka. */
    private record Claimed(UUID id, String topic, String key, String payload) {
    }

    /** How sending one claimed row ended: {@code failure} is null when Kafka acknowledged it. */
    private record Sent(Claimed row, Throwable failure) {
    }

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
        // Idempotence keeps the records of one partition in the order they were sent, retries included.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail fast when Kafka is away: the rows stay in the outbox and the next poll retries.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return props;
    }

    /** Relays batches until the outbox holds no more than a partial one, or a send fails. */
    @Scheduled(every = "${dmlp.outbox.poll-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return relayWhileFull()
                .onFailure().invoke(e -> LOG.warnf("Outbox relay pass failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> relayWhileFull() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return relayBatch().chain(published -> published == config.batchSize()
                ? relayWhileFull() : Uni.createFrom().voidItem());
    }

    /** Published rows are kept a while for audit and replay, then deleted. */
    @Scheduled(every = "1h", delayed = "1m")
    Uni<Void> purgePublished() {
        return pool.preparedQuery(PURGE).execute(Tuple.of((double) config.retention().toSeconds())).replaceWithVoid();
    }

    /** Claims, publishes and marks one batch; returns how many rows were published. */
    public Uni<Integer> relayBatch() {
        double leaseSeconds = config.sendTimeout().multipliedBy(2).toMillis() / 1000.0;
        return pool.preparedQuery(CLAIM).execute(Tuple.of(config.batchSize(), leaseSeconds))
                .chain(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getUUID("id"), row.getString("topic"),
                                row.getString("message_key"), row.getString("payload")));
                    }
                    return claimed.isEmpty() ? Uni.createFrom().item(0) : publish(claimed).chain(this::mark);
                });
    }

    /**
     * Sends the rows in claim order and waits for every acknowledgement or failure. The sends start on a worker
     * thread ({@code send} blocks while it looks up an unknown topic, up to {@code max.block.ms}), and the mark
     * continues there rather than on the Kafka client's network thread that completes them.
     */
    private Uni<List<Sent>> publish(List<Claimed> rows) {
        return Uni.join().all(rows.stream().map(this::send).toList()).andFailFast()
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<Sent> send(Claimed row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topics.topic(row.topic()), row.key(),
                row.payload());
        record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return Uni.createFrom().<RecordMetadata>emitter(sent -> producer.send(record, (metadata, failure) -> {
                    if (failure == null) {
                        sent.complete(metadata);
                    } else {
                        sent.fail(failure);
                    }
                }))
                .ifNoItem().after(config.sendTimeout()).fail()
                .onItemOrFailure().transform((metadata, failure) -> new Sent(row, failure));
    }

    /**
     * Marks what Kafka acknowledged as published, except the rows of a key after its first failure: those go
     * out again after it on a later pass (a duplicate at worst), never before it.
     */
    private Uni<Integer> mark(List<Sent> outcomes) {
        List<UUID> published = new ArrayList<>();
        List<UUID> failed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<UUID> released = new ArrayList<>();
        Set<String> failedKeys = new HashSet<>();
        for (Sent sent : outcomes) {
            if (sent.failure() != null) {
                failedKeys.add(sent.row().key());
                failed.add(sent.row().id());
                String reason = String.valueOf(sent.failure().getCause() != null ? sent.failure().getCause()
                        : sent.failure());
                errors.add(reason.substring(0, Math.min(1000, reason.length())));
            } else if (failedKeys.contains(sent.row().key())) {
                released.add(sent.row().id());
            } else {
                published.add(sent.row().id());
            }
        }
        reportKafka(outcomes, published);
        return pool.withTransaction(connection -> update(connection, MARK_PUBLISHED, Tuple.of(ids(published)),
                        published.isEmpty())
                .chain(() -> update(connection, MARK_FAILED, Tuple.of(ids(failed), errors.toArray(String[]::new)),
                        failed.isEmpty()))
                .chain(() -> update(connection, RELEASE, Tuple.of(ids(released)), released.isEmpty())))
                .replaceWith(published.size());
    }

    private static Uni<Void> update(SqlConnection connection, String sql, Tuple arguments, boolean nothingToDo) {
        return nothingToDo ? Uni.createFrom().voidItem()
                : connection.preparedQuery(sql).execute(arguments).replaceWithVoid();
    }

    private static UUID[] ids(List<UUID> ids) {
        return ids.toArray(UUID[]::new);
    }

    private void reportKafka(List<Sent> outcomes, List<UUID> published) {
        outcomes.stream().map(Sent::failure).filter(failure -> failure != null).findFirst().ifPresentOrElse(
                failure -> {
                    if (!kafkaWasDown) {
                        kafkaWasDown = true;
                        LOG.warnf("Outbox relay cannot publish to Kafka, events wait in the outbox: %s",
                                failure.getMessage());
                    }
                },
                () -> {
                    if (kafkaWasDown && !published.isEmpty()) {
                        kafkaWasDown = false;
                        LOG.info("Outbox relay publishes to Kafka again");
                    }
                });
    }

    void close(@Observes ShutdownEvent shutdown) {
        stopping = true;
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
