package io.dmlp.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.KafkaTopicConfig;
import io.dmlp.common.testing.TestEvents;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** Puts dataset-service's events on Kafka as dataset-service would, for the tests of what catalog-service does with them. */
@ApplicationScoped
class DatasetEventFeed {

    private static final String DATASET_TOPIC = "dmlp.dataset.events";

    private final Map<String, Object> kafkaConfig;
    private final KafkaTopicConfig topics;
    private final ObjectMapper json;

    DatasetEventFeed(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, KafkaTopicConfig topics,
                     ObjectMapper json) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.json = json;
    }

    CloudEvent created(String tenantId, long datasetId, Map<String, Object> data) {
        return CloudEvent.of("/dmlp/dataset-service", "dataset", "dataset.created", Long.toString(datasetId),
                tenantId, json.valueToTree(data));
    }

    CloudEvent deleted(String tenantId, long datasetId) {
        return CloudEvent.of("/dmlp/dataset-service", "dataset", "dataset.deleted", Long.toString(datasetId),
                tenantId, json.valueToTree(Map.of("dataset_id", datasetId)));
    }

    /** Published under the event's own partition key. */
    void publish(CloudEvent event) throws Exception {
        publish(event, event.partitionKey());
    }

    /** Published under the given key: events with the same key are consumed in the order they were published. */
    void publish(CloudEvent event, String key) throws Exception {
        TestEvents.publish(kafkaConfig, topics.topic(DATASET_TOPIC), key, json.writeValueAsString(event));
    }

    static long randomDatasetId() {
        return Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
    }
}
