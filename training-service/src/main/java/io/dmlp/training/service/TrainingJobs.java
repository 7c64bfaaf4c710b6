package io.dmlp.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.service.JobLifecycle;
import io.dmlp.training.domain.Preprocess;
import io.dmlp.training.domain.TrainingRun;
import io.dmlp.training.event.ModelEvents;
import io.dmlp.training.repository.PreprocessRepository;
import io.dmlp.training.repository.TrainingRunRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The training jobs' side of the shared lifecycle: their callback ({@code /api/v1/train/result}), what of a result is
 * kept, and their events ({@code io.dmlp.training.<submitted|running|completed|failed|cancelled>.v1} on {@value ModelEvents#TOPIC}), which carry what an
 * outside consumer needs to follow a run alone, and once completed what inference needs to load the model.
 */
@ApplicationScoped
public class TrainingJobs implements ModelJobOwner {

    static final String CALLBACK_PATH = "/api/v1/train/result";
    private static final Logger LOG = Logger.getLogger(TrainingJobs.class);

    private final JobLifecycle lifecycle;
    private final TrainingRunRepository runs;
    private final FeatureImportanceService importance;
    private final ModelViews views;
    private final PreprocessRepository preprocesses;

    public TrainingJobs(JobLifecycle lifecycle, TrainingRunRepository runs, FeatureImportanceService importance,
            ModelViews views, PreprocessRepository preprocesses) {
        this.lifecycle = lifecycle;
        this.runs = runs;
        this.preprocesses = preprocesses;
        this.importance = importance;
        this.views = views;
    }

    /** A run's result posted back; a completed run with {@code shap_enabled} then gets its SHAP job. */
    public Uni<Void> complete(RoutingContext request) {
        return lifecycle.complete(JobKind.TRAINING, request).call(job -> job.status != JobStatus.COMPLETED
                ? Uni.createFrom().voidItem()
                : runs.findById(Long.parseLong(job.ownerId)).chain(run -> run == null || !run.shapEnabled
                        ? Uni.createFrom().voidItem()
                        // The result is recorded whatever happens to the SHAP job; it can be started again.
                        : importance.startFor(run, job.createdBy).replaceWithVoid().onFailure().recoverWithItem(e -> {
                            LOG.warnf("The SHAP job of run %d could not start: %s", run.id, e.getMessage());
                            return null;
                        })))
                .replaceWithVoid();
    }

    @Override
    public JobKind kind() {
        return JobKind.TRAINING;
    }

    @Override
    public String callbackPath() {
        return CALLBACK_PATH;
    }

    @Override
    public String eventPrefix() {
        return ""; // io.dmlp.training.completed.v1: the domain already says training
    }

    @Override
    public Uni<Map<String, Object>> describe(RayJob job) {
        long trainId = Long.parseLong(job.ownerId);
        return runs.findById(trainId).chain(run -> run == null
                ? Uni.createFrom().item(describe(trainId, null, null, job))
                : preprocesses.findById(run.preprocessId).map(preprocess -> describe(trainId, run, preprocess, job)));
    }

    /**
     * A run as its events show it; once completed, with the {@code model} inference loads. Also the rows of
     * training-service's internal model list, so that a consumer rebuilding its view reads what the events said.
     */
    public Map<String, Object> describe(long trainId, TrainingRun run, Preprocess preprocess, RayJob job) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train_id", trainId);
        if (run != null) {
            data.put("predictor_name", run.predictorName);
            data.put("domain_name", run.domain);
            data.put("problem_type", run.problemType.name());
            data.put("algorithm", run.algorithm);
            data.put("dataset_id", run.datasetId);
            data.put("snapshot_id", run.snapshotId);
            data.put("preprocess_id", run.preprocessId);
            data.put("parent_train_id", run.parentTrainId);
            if (job.status == JobStatus.COMPLETED && job.result != null) {
                data.put("model", views.model(run, views.read(job.result), preprocess));
            }
        }
        return data;
    }

    /** Keeps the job's {@code result}, which must hold its metrics, the algorithm fitted and the input schema. */
    @Override
    public JsonNode result(RayJob job, JsonNode body) {
        JsonNode result = body.path("result");
        if (!result.isObject() || !result.path("metrics").isObject() || !result.path("algorithm").isTextual()
                || !result.path("schema").isArray()) {
            throw new UnprocessableEntityException("A succeeded result needs a 'result' object with 'metrics',"
                    + " 'algorithm' and 'schema'.");
        }
        return result;
    }
}
