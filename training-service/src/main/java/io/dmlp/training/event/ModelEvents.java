package io.dmlp.training.event;

import io.dmlp.common.outbox.Outbox;
import io.dmlp.training.domain.TrainingRun;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's changes on {@value #TOPIC}, through the outbox (inside the transaction that made them):
 * {@code io.dmlp.training.model.updated.v1} when it switches preprocess record, {@code model.deleted} when it is
 * deleted. The training jobs' own transitions ({@code training.*}, {@code shap.*}) come from the shared job lifecycle.
 */
@ApplicationScoped
public class ModelEvents {

    public static final String TOPIC = "dmlp.training.events";
    public static final String DOMAIN = "training";

    private final Outbox outbox;

    public ModelEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> updated(TrainingRun run, long previousPreprocessId) {
        Map<String, Object> data = identity(run);
        data.put("previous_preprocess_id", previousPreprocessId);
        return announce("model.updated", run, data);
    }

    public Uni<Void> deleted(TrainingRun run) {
        return announce("model.deleted", run, identity(run));
    }

    private Uni<Void> announce(String name, TrainingRun run, Map<String, Object> data) {
        return outbox.append(TOPIC, DOMAIN, name, run.id.toString(), run.tenantId.toString(), data).replaceWithVoid();
    }

    private static Map<String, Object> identity(TrainingRun run) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train_id", run.id);
        data.put("predictor_name", run.predictorName);
        data.put("problem_type", run.problemType.name());
        data.put("preprocess_id", run.preprocessId);
        data.put("modified_at", run.modifiedAt);
        return data;
    }
}
