package io.dmlp.inference.service;

import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.security.Caller;
import io.dmlp.inference.domain.DeployedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * inference-service's read model of the deployable models, in memory so a prediction never leaves the JVM: fed by
 * training-service's events, rebuilt from its internal list when this instance starts following them. Each instance
 * keeps its own (every instance consumes every event).
 * <p>
 * Events are newer than any list read before them, and a list may be read after some events were applied: the list
 * only adds models this instance does not know yet, and never one it saw deleted.
 */
@ApplicationScoped
public class DeployedModels {

    private final Map<Long, DeployedModel> models = new ConcurrentHashMap<>();
    /** Deleted train ids with their tenant: a list read later must not bring them back. */
    private final Map<Long, UUID> deleted = new ConcurrentHashMap<>();
    private final OnnxSessions sessions;

    public DeployedModels(OnnxSessions sessions) {
        this.sessions = sessions;
    }

    /** {@code training.completed}: the model is deployable (again, for a replayed event). */
    public void completed(DeployedModel model) {
        if (!wasDeleted(model)) {
            DeployedModel previous = models.put(model.trainId(), model);
            if (previous != null && previous.preprocessId() != model.preprocessId()) {
                sessions.evict(previous);
            }
            sessions.warm(model);
        }
    }

    /** A model of training-service's list: taken only when no event told this instance about it yet. */
    public void listed(DeployedModel model) {
        if (!wasDeleted(model) && models.putIfAbsent(model.trainId(), model) == null) {
            sessions.warm(model);
        }
    }

    /** {@code model.updated}: the model now uses another preprocess record; its old session goes. */
    public void updated(UUID tenantId, long trainId, long preprocessId) {
        update(tenantId, trainId, model -> {
            models.put(trainId, model.withPreprocess(preprocessId));
            sessions.evict(model);
        });
    }

    /** {@code model.deleted}: gone for good, and its session too. */
    public void deleted(UUID tenantId, long trainId) {
        deleted.put(trainId, tenantId); // also when the list has not brought it yet: it must not bring it later
        update(tenantId, trainId, model -> {
            models.remove(trainId);
            sessions.evict(model);
        });
    }

    /** The caller's model; 404 when it is missing, another tenant's, or deleted. */
    public DeployedModel visible(Caller caller, long trainId) {
        DeployedModel model = models.get(trainId);
        if (model == null || !model.tenantId().toString().equals(caller.tenantId())) {
            throw new ResourceNotFoundException("Model " + trainId + " not found.");
        }
        return model;
    }

    public int size() {
        return models.size();
    }

    private boolean wasDeleted(DeployedModel model) {
        return model.tenantId().equals(deleted.get(model.trainId()));
    }

    /** Changes the model only when it is the event's tenant's. */
    private void update(UUID tenantId, long trainId, Consumer<DeployedModel> change) {
        DeployedModel model = models.get(trainId);
        if (model != null && model.tenantId().equals(tenantId)) {
            change.accept(model);
        }
    }
}
