package io.dmlp.inference.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.inference.client.TrainingClient;
import io.dmlp.inference.config.InferenceConfig;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.service.DeployedModels;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads training-service's model list once this instance follows the training events: on the first assignment of
 * the topic's partitions, so that every change after the list was read also arrives as an event. Retries until
 * training-service answers.
 */
@ApplicationScoped
@Identifier(ModelListRebuild.NAME)
public class ModelListRebuild implements KafkaConsumerRebalanceListener {

    static final String NAME = "inference-model-list";
    private static final Logger LOG = Logger.getLogger(ModelListRebuild.class);

    private final TrainingClient training;
    private final DeployedModels models;
    private final InferenceConfig config;
    private final AtomicBoolean started = new AtomicBoolean();

    public ModelListRebuild(TrainingClient training, DeployedModels models, InferenceConfig config) {
        this.training = training;
        this.models = models;
        this.config = config;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (started.compareAndSet(false, true)) {
            page(0).onFailure().retry().withBackOff(config.training().retryEvery()).indefinitely()
                    .subscribe().with(ignored -> LOG.infof("Rebuilt the deployable models from training-service:"
                            + " %d model(s)", models.size()),
                            e -> LOG.errorf("The deployable models could not be rebuilt: %s", e.getMessage()));
        }
    }

    private Uni<Void> page(long after) {
        return training.models(after, config.training().pageSize()).onFailure()
                .invoke(e -> LOG.warnf("training-service's model list is not readable yet: %s", e.getMessage()))
                .chain(page -> {
                    for (JsonNode row : page.path("data")) {
                        DeployedModel model = DeployedModel.of(tenant(row), row);
                        if (model != null && model.tenantId() != null) {
                            models.listed(model);
                        }
                    }
                    JsonNode next = page.path("next_after");
                    return next.canConvertToLong() ? page(next.asLong()) : Uni.createFrom().voidItem();
                });
    }

    private static UUID tenant(JsonNode row) {
        try {
            return UUID.fromString(row.path("tenant_id").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
