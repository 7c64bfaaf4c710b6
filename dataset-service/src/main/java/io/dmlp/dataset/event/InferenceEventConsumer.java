package io.dmlp.dataset.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.config.S3Config;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.ReceivedEvent;
import io.dmlp.common.outbox.IdempotentConsumer;
import io.dmlp.dataset.service.PredictionResultFiles;
import io.dmlp.lakehouse.ObjectStore;
import io.dmlp.lakehouse.S3Location;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows inference's batch predictions: a completed one's result CSV becomes a file of the dataset it predicted
 * ({@link PredictionResultFiles}), once per event. Only a result under the event tenant's own prediction folder in
 * the platform's bucket is taken, so an event cannot make another tenant's object downloadable.
 */
@ApplicationScoped
public class InferenceEventConsumer {

    static final String CONSUMER = "dataset-prediction-results";
    static final String COMPLETED = CloudEvent.typeOf("inference", "batch_prediction.completed");
    private static final Logger LOG = Logger.getLogger(InferenceEventConsumer.class);

    private final PredictionResultFiles files;
    private final IdempotentConsumer idempotent;
    private final ObjectStore store;
    private final S3Config s3;
    private final Vertx vertx;
    private final ObjectMapper json;

    public InferenceEventConsumer(PredictionResultFiles files, IdempotentConsumer idempotent, ObjectStore store,
            S3Config s3, Vertx vertx, ObjectMapper json) {
        this.files = files;
        this.idempotent = idempotent;
        this.store = store;
        this.s3 = s3;
        this.vertx = vertx;
        this.json = json;
    }

    @Incoming("inference-events")
    public Uni<Void> consume(String payload) {
        ReceivedEvent event;
        try {
            event = ReceivedEvent.parse(json, payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping an inference event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        UUID tenantId = event.tenantId();
        JsonNode data = event.data();
        if (!COMPLETED.equals(event.type()) || !data.path("dataset_id").canConvertToLong()
                || !data.path("prediction_id").canConvertToLong()) {
            return Uni.createFrom().voidItem();
        }
        long predictionId = data.get("prediction_id").asLong();
        String key = key(data.path("result_path").asText(""), tenantId, predictionId);
        if (key == null) {
            LOG.warnf("Skipping event %s: its result_path is not the tenant's prediction folder", event.id());
            return Uni.createFrom().voidItem();
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> store.size(key)), false)
                .map(size -> new PredictionResultFiles.Result(tenantId, data.get("dataset_id").asLong(),
                        predictionId, key, size, data.path("columns").size()))
                .chain(result -> idempotent.processOnce(CONSUMER, event.id(), () -> files.register(result)))
                .onFailure().invoke(e -> LOG.warnf("The result of prediction %d could not be recorded as a file: %s",
                        predictionId, e.getMessage()))
                .replaceWithVoid();
    }

    /** The object's key, when {@code location} is {@code s3://<platform bucket>/<...>/<tenant>/<prediction>/<file>}. */
    private String key(String location, UUID tenantId, long predictionId) {
        S3Location object;
        try {
            object = S3Location.parse(location);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!s3.bucket().equals(object.bucket())) {
            return null;
        }
        String key = object.key();
        String[] parts = key.split("/");
        return parts.length == 4 && parts[1].equals(tenantId.toString())
                && parts[2].equals(Long.toString(predictionId)) && !key.contains("..") ? key : null;
    }
}
