package io.dmlp.inference.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.ReceivedEvent;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.service.DeployedModels;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows the models on training-service's topic: {@code training.completed} makes a model deployable (and warms
 * its session), {@code model.updated} moves it to another preprocess record, {@code model.deleted} removes it. Every
 * instance reads every event (a group of its own), since each keeps its own models in memory.
 */
@ApplicationScoped
public class TrainingEventConsumer {

    static final String COMPLETED = CloudEvent.typeOf("training", "completed");
    static final String UPDATED = CloudEvent.typeOf("training", "model.updated");
    static final String DELETED = CloudEvent.typeOf("training", "model.deleted");
    private static final Logger LOG = Logger.getLogger(TrainingEventConsumer.class);

    private final DeployedModels models;
    private final ObjectMapper json;

    public TrainingEventConsumer(DeployedModels models, ObjectMapper json) {
        this.models = models;
        this.json = json;
    }

    @Incoming("training-events")
    public void consume(String payload) {
        ReceivedEvent event;
        try {
            event = ReceivedEvent.parse(json, payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping a training event: %s", e.getMessage());
            return;
        }
        UUID tenantId = event.tenantId();
        JsonNode data = event.data();
        if (!data.path("train_id").canConvertToLong()) {
            return;
        }
        long trainId = data.get("train_id").asLong();
        if (COMPLETED.equals(event.type())) {
            DeployedModel model = DeployedModel.of(tenantId, data);
            if (model != null) {
                models.completed(model);
            }
        } else if (UPDATED.equals(event.type())) {
            models.updated(tenantId, trainId, data.path("preprocess_id").asLong());
        } else if (DELETED.equals(event.type())) {
            models.deleted(tenantId, trainId);
        }
    }
}
