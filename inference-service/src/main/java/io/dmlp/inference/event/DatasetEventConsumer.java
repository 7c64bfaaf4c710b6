package io.dmlp.inference.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.ReceivedEvent;
import io.dmlp.common.outbox.IdempotentConsumer;
import io.dmlp.inference.domain.PredictionType;
import io.dmlp.inference.repository.PredictionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Learns which dataset file a batch prediction's result became: dataset-service announces it as
 * {@code dataset.file.added} with the {@code prediction_id}, and the prediction keeps its {@code file_id}. Once per
 * event, and only for a batch prediction of the event's tenant.
 */
@ApplicationScoped
public class DatasetEventConsumer {

    static final String CONSUMER = "inference-result-files";
    static final String FILE_ADDED = CloudEvent.typeOf("dataset", "file.added");
    private static final Logger LOG = Logger.getLogger(DatasetEventConsumer.class);

    private final PredictionRepository predictions;
    private final IdempotentConsumer idempotent;
    private final ObjectMapper json;

    public DatasetEventConsumer(PredictionRepository predictions, IdempotentConsumer idempotent, ObjectMapper json) {
        this.predictions = predictions;
        this.idempotent = idempotent;
        this.json = json;
    }

    @Incoming("dataset-events")
    public Uni<Void> consume(String payload) {
        ReceivedEvent event;
        try {
            event = ReceivedEvent.parse(json, payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping a dataset event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        UUID tenantId = event.tenantId();
        JsonNode data = event.data();
        if (!FILE_ADDED.equals(event.type()) || !data.path("prediction_id").canConvertToLong()
                || !data.path("file_id").canConvertToLong()) {
            return Uni.createFrom().voidItem();
        }
        long predictionId = data.get("prediction_id").asLong();
        long fileId = data.get("file_id").asLong();
        return idempotent.processOnce(CONSUMER, event.id(), () -> predictions.find(tenantId, predictionId)
                .invoke(prediction -> {
                    if (prediction != null && prediction.type == PredictionType.batch) {
                        prediction.fileId = fileId;
                    }
                })).replaceWithVoid();
    }
}
