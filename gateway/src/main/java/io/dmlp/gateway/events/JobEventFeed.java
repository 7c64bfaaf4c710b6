package io.dmlp.gateway.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the job topics on a thread of its own and hands every record's payload on. Every gateway instance must see
 * every event, so, like the revocation set's reader (common), there is no consumer group: it assigns itself all
 * partitions and commits nothing. It starts at the end (the stream is live, it replays nothing) and remembers where
 * it is: after a failure it goes on from there, so an outage of Kafka delays events but loses none.
 */
final class JobEventFeed implements Runnable {

    private static final Logger LOG = Logger.getLogger(JobEventFeed.class);
    /** Returns at once when records arrive: this bounds only how late a new partition or a stop is noticed. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PARTITION_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final Map<String, Object> consumerConfig;
    private final List<String> topics;
    private final Duration retryBackoff;
    private final Consumer<String> payloads;
    private final Clock clock;
    /** The next offset to read of every partition seen so far. Only the feed's thread touches it. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean live;
    private volatile KafkaConsumer<String, String> consumer;

    /**
     * @param kafkaConfig the gateway's Kafka client settings ({@code kafka.*}: bootstrap servers, security)
     * @param topics      the topics of this environment, prefix included
     * @param payloads    takes each record's value, on the feed's thread; must not block
     */
    JobEventFeed(Map<String, Object> kafkaConfig, List<String> topics, Duration retryBackoff,
            Consumer<String> payloads, Clock clock) {
        this.consumerConfig = consumerConfig(kafkaConfig);
        this.topics = List.copyOf(topics);
        this.retryBackoff = retryBackoff;
        this.payloads = payloads;
        this.clock = clock;
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A remembered offset lost to retention: go on with what comes next.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Kafka away at start: give up this attempt soon and try again (the loop in run()).
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        // Job events are small and few; the gateway's heap is small too (fetches are buffered whole).
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        return props;
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
                live = false;
                if (running) {
                    LOG.warnf("Cannot read job events from %s, retrying in %s: %s", topics, retryBackoff,
                            e.getMessage());
                    pause(retryBackoff);
                }
            }
        }
    }

    private void consume(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions = partitions(kafka);
        kafka.assign(partitions);
        boolean firstStart = positions.isEmpty();
        for (TopicPartition partition : partitions) {
            Long next = positions.get(partition);
            if (next != null) {
                kafka.seek(partition, next);
            } else if (!firstStart) {
                // A partition added while we were reading: its events are all new.
                kafka.seekToBeginning(List.of(partition));
            } else {
                kafka.seekToEnd(List.of(partition));
            }
            // Resolves the seek now: from here on, every event written reaches the clients.
            positions.put(partition, kafka.position(partition));
        }
        live = true;
        LOG.infof("Streaming job events from %s (%d partitions)", topics, partitions.size());
        Instant nextPartitionCheck = clock.instant().plus(PARTITION_CHECK_INTERVAL);
        while (running) {
            for (ConsumerRecord<String, String> record : kafka.poll(POLL_TIMEOUT)) {
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                payloads.accept(record.value());
            }
            if (clock.instant().isAfter(nextPartitionCheck)) {
                if (!Set.copyOf(partitions(kafka)).equals(new HashSet<>(partitions))) {
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

    /** Whether every partition has a position: an event written from now on will be read. */
    boolean live() {
        return live;
    }

    void close() {
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
