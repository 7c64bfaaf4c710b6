package io.dmlp.common.testing;

import io.dmlp.common.event.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Events a test writes to Kafka itself: a forged, replayed or foreign event the services must withstand. */
public final class TestEvents {

    private TestEvents() {
    }

    /**
     * Publishes {@code eventJson} as the outbox relay does (structured mode, the CloudEvents content type) and
     * waits for Kafka's acknowledgement.
     *
     * @param kafkaConfig the service's {@code default-kafka-broker} configuration (its bootstrap servers)
     * @param topic the full topic name, environment prefix included
     */
    public static void publish(Map<String, Object> kafkaConfig, String topic, String key, String eventJson)
            throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafkaConfig.get("bootstrap.servers")),
                new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, eventJson);
            record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
