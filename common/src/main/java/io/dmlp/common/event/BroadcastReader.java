package io.dmlp.common.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads topics on a thread of its own for a state every instance of a service must hold whole (ended sessions, the
 * job events of its stream clients): there is no consumer group, it assigns itself every partition and commits
 * nothing; where it starts is its {@link Reading}'s choice. After any failure it opens a new consumer and lets its
 * reading position it again, after {@code retryBackoff}; it does the same when the topics gain partitions.
 */
public final class BroadcastReader implements Runnable {

    /** What a reader does with its topics. Every method runs on the reader's thread. */
    public interface Reading {

        /** Positions each of {@code partitions}, just assigned after a start, a failure or new partitions. */
        void position(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions);

        /** Takes one record; must not block. */
        void accept(ConsumerRecord<String, String> record);

        /** After every poll, whether it returned records or not. */
        default void polled(KafkaConsumer<String, String> kafka) {
        }

        /** The consumer failed; a new one is tried after the back-off. */
        default void failed() {
        }
    }

    private static final Logger LOG = Logger.getLogger(BroadcastReader.class);
    /** Returns at once when records arrive: this bounds only how late a new partition or a stop is noticed. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PARTITION_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final String what;
    private final Map<String, Object> consumerConfig;
    private final List<String> topics;
    private final Duration retryBackoff;
    private final Clock clock;
    private final Reading reading;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;

    /**
     * @param what        what is read, for the log ("session endings")
     * @param kafkaConfig the service's Kafka client settings ({@code kafka.*}: bootstrap servers, security)
     * @param settings    consumer settings of this reader's own (e.g. {@code auto.offset.reset}), over those
     * @param topics      the topics of this environment, prefix included
     */
    public BroadcastReader(String what, Map<String, Object> kafkaConfig, Map<String, Object> settings,
            List<String> topics, Duration retryBackoff, Clock clock, Reading reading) {
        this.what = what;
        this.consumerConfig = new HashMap<>(kafkaConfig);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Kafka away at start: give up this attempt soon and try again (the loop in run()).
        consumerConfig.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        consumerConfig.putAll(settings);
        this.topics = List.copyOf(topics);
        this.retryBackoff = retryBackoff;
        this.clock = clock;
        this.reading = reading;
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer = kafka;
                if (running) {
                    consume(kafka);
                }
            } catch (WakeupException e) {
                // close() woke the poll up
            } catch (RuntimeException e) {
                reading.failed();
                if (running) {
                    LOG.warnf("Cannot read %s from %s, retrying in %s: %s", what, topics, retryBackoff,
                            e.getMessage());
                    pause(retryBackoff);
                }
            }
        }
    }

    private void consume(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions = partitions(kafka);
        kafka.assign(partitions);
        reading.position(kafka, partitions);
        Instant nextPartitionCheck = clock.instant().plus(PARTITION_CHECK_INTERVAL);
        while (running) {
            for (ConsumerRecord<String, String> record : kafka.poll(POLL_TIMEOUT)) {
                reading.accept(record);
            }
            reading.polled(kafka);
            if (clock.instant().isAfter(nextPartitionCheck)) {
                if (!new HashSet<>(partitions(kafka)).equals(new HashSet<>(partitions))) {
                    LOG.infof("%s have new partitions: reading them too", topics);
                    return;
                }
                nextPartitionCheck = clock.instant().plus(PARTITION_CHECK_INTERVAL);
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions yet");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    /** Stops reading: wakes a waiting poll up; the thread ends soon after. */
    public void close() {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
