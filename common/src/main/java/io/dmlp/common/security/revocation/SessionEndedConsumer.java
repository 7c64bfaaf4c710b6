package io.dmlp.common.security.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.BroadcastReader;
import io.dmlp.common.event.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads auth-service's {@code session.ended} events into {@link RevokedSessions}, on a thread of its own.
 * Every instance must see every ending, so it is a {@link BroadcastReader}. It starts at the first record of the
 * last {@code lookBack} (the token lifetime and slack), so a restarted service remembers the endings whose tokens
 * may still be presented; it is {@linkplain #caughtUp() caught up} once it has read up to the end offsets it found
 * at start. After any failure it starts over the same way: reading an ending twice is harmless.
 */
final class SessionEndedConsumer implements Runnable, BroadcastReader.Reading {

    private static final Logger LOG = Logger.getLogger(SessionEndedConsumer.class);
    static final String SESSION_ENDED = CloudEvent.typeOf("auth", "session.ended");

    private final String topic;
    private final Duration lookBack;
    private final RevokedSessions sessions;
    private final ObjectMapper json;
    private final Clock clock;
    private final BroadcastReader reader;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private Map<TopicPartition, Long> endAtStart = Map.of();

    /**
     * @param kafkaConfig the service's Kafka client settings ({@code kafka.*}: bootstrap servers, security)
     * @param topic       the topic of this environment, prefix included
     */
    SessionEndedConsumer(Map<String, Object> kafkaConfig, String topic, Duration lookBack, Duration retryBackoff,
            RevokedSessions sessions, ObjectMapper json, Clock clock) {
        this.topic = topic;
        this.lookBack = lookBack;
        this.sessions = sessions;
        this.json = json;
        this.clock = clock;
        // Offsets lost to retention: read everything left rather than skip endings.
        this.reader = new BroadcastReader("session endings", kafkaConfig,
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), List.of(topic), retryBackoff, clock,
                this);
    }

    @Override
    public void run() {
        reader.run();
    }

    @Override
    public void position(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions) {
        endAtStart = kafka.endOffsets(partitions);
        long since = clock.instant().minus(lookBack).toEpochMilli();
        Map<TopicPartition, OffsetAndTimestamp> first = kafka.offsetsForTimes(partitions.stream()
                .collect(Collectors.toMap(Function.identity(), partition -> since)));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = first.get(partition);
            if (offset == null) {
                kafka.seekToEnd(List.of(partition)); // nothing that recent
            } else {
                kafka.seek(partition, offset.offset());
            }
        }
    }

    @Override
    public void polled(KafkaConsumer<String, String> kafka) {
        sessions.prune();
        if (caughtUp.getCount() > 0 && endAtStart.entrySet().stream()
                .allMatch(end -> kafka.position(end.getKey()) >= Objects.requireNonNullElse(end.getValue(), 0L))) {
            caughtUp.countDown();
            LOG.infof("Read the session endings of the last %s from %s: %d session(s) refused", lookBack, topic,
                    sessions.size());
        }
    }

    @Override
    public void accept(ConsumerRecord<String, String> record) {
        // Most events on the topic are other kinds (log-ins, failures): skip them without parsing.
        if (record.value() == null || !record.value().contains(SESSION_ENDED)) {
            return;
        }
        try {
            JsonNode event = json.readTree(record.value());
            if (!SESSION_ENDED.equals(event.path("type").asText())) {
                return;
            }
            JsonNode data = event.path("data");
            String sessionId = data.hasNonNull("session_id") ? data.get("session_id").asText()
                    : event.path("subject").asText(null);
            if (sessionId == null || sessionId.isEmpty()) {
                LOG.warnf("Skipping a session.ended event without a session id (offset %d of %s-%d)",
                        record.offset(), record.topic(), record.partition());
                return;
            }
            sessions.add(sessionId, endedAt(data.path("ended_at"), event.path("time"), record.timestamp()));
        } catch (Exception e) {
            LOG.warnf("Skipping an unreadable event at offset %d of %s-%d: %s", record.offset(), record.topic(),
                    record.partition(), e.getMessage());
        }
    }

    /** {@code ended_at}, else the event's time, else when Kafka received it. */
    private static Instant endedAt(JsonNode endedAt, JsonNode eventTime, long recordTimestamp) {
        for (JsonNode time : List.of(endedAt, eventTime)) {
            if (time.isTextual()) {
                try {
                    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(time.asText(), Instant::from);
                } catch (DateTimeParseException e) {
                    // try the next one
                }
            }
        }
        return Instant.ofEpochMilli(recordTimestamp);
    }

    /** Whether the endings of the look-back window have all been read since start. */
    boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits up to {@code timeout} for {@link #caughtUp()}. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        reader.close();
    }
}
