package io.dmlp.gateway.events;

import io.dmlp.common.event.BroadcastReader;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads the job topics on a thread of its own and hands every record's payload on. Every gateway instance must see
 * every event, so it is a {@link BroadcastReader}. It starts at the end (the stream is live, it replays nothing) and
 * remembers where it is: after a failure it goes on from there, so an outage of Kafka delays events but loses none.
 */
final class JobEventFeed implements Runnable, BroadcastReader.Reading {

    private static final Logger LOG = Logger.getLogger(JobEventFeed.class);

    private final List<String> topics;
    private final Consumer<String> payloads;
    private final BroadcastReader reader;
    /** The next offset to read of every partition seen so far. Only the feed's thread touches it. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean live;

    /**
     * @param kafkaConfig the gateway's Kafka client settings ({@code kafka.*}: bootstrap servers, security)
     * @param topics      the topics of this environment, prefix included
     * @param payloads    takes each record's value, on the feed's thread; must not block
     */
    JobEventFeed(Map<String, Object> kafkaConfig, List<String> topics, Duration retryBackoff,
            Consumer<String> payloads, Clock clock) {
        this.topics = List.copyOf(topics);
        this.payloads = payloads;
        this.reader = new BroadcastReader("job events", kafkaConfig, Map.of(
                // A remembered offset lost to retention: go on with what comes next.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // Job events are small and few; the gateway's heap is small too (fetches are buffered whole).
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024), this.topics, retryBackoff, clock, this);
    }

    @Override
    public void run() {
        reader.run();
    }

    @Override
    public void position(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions) {
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
    }

    @Override
    public void accept(ConsumerRecord<String, String> record) {
        positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        payloads.accept(record.value());
    }

    @Override
    public void failed() {
        live = false;
    }

    /** Whether every partition has a position: an event written from now on will be read. */
    boolean live() {
        return live;
    }

    void close() {
        reader.close();
    }
}
