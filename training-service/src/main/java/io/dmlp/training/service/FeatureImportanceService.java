package io.dmlp.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.jobs.service.JobLifecycle;
import io.dmlp.training.config.TrainingConfig;
import io.dmlp.training.domain.ProblemType;
import io.dmlp.training.domain.TrainingRun;
import io.dmlp.training.repository.PreprocessRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature importance of a completed model: a SHAP job ({@code dmlp_jobs.importance}) on a seeded sample of the
 * run's pinned snapshot, run through the shared lifecycle ({@code io.dmlp.training.shap.<status>.v1} events); its
 * result is the share of each original column in the mean absolute SHAP value.
 */
@ApplicationScoped
public class FeatureImportanceService implements ModelJobOwner {

    static final String CALLBACK_PATH = "/api/v1/train/shap-result";

    /** A model's latest SHAP job, brought up to date with Ray, and its importances once completed. */
    public record View(RayJob job, JsonNode featureImportance) {
    }

    private final TrainingRuns runs;
    private final PreprocessRepository preprocesses;
    private final RayJobRepository jobs;
    private final JobLifecycle lifecycle;
    private final ModelArtifacts artifacts;
    private final ModelViews views;
    private final TrainingConfig config;
    private final Vertx vertx;

    public FeatureImportanceService(TrainingRuns runs, PreprocessRepository preprocesses, RayJobRepository jobs,
            JobLifecycle lifecycle, ModelArtifacts artifacts, ModelViews views, TrainingConfig config, Vertx vertx) {
        this.runs = runs;
        this.preprocesses = preprocesses;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.artifacts = artifacts;
        this.views = views;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * Starts a SHAP job on the caller's completed model: 404 for an unknown run, 409 while the model is not
     * completed or a SHAP job of it is still running, 422 for a forecast (SHAP explains tabular models).
     */
    public Uni<RayJob> generate(Caller caller, long trainId) {
        caller.require(Permission.TRAIN_MODELS);
        return Panache.withSession(() -> runs.completed(caller, trainId, "Feature importance")
                .call(run -> jobs.latest(JobKind.SHAP, run.id.toString()).invoke(running -> {
                    if (running != null && !running.status.terminal()) {
                        throw new ConflictException("A SHAP job of run " + trainId + " is still "
                                + running.status.value() + " (" + running.id + ").");
                    }
                })))
                .chain(run -> startFor(run, caller.username()));
    }

    /** Starts a SHAP job on a completed run (after training, when {@code shap_enabled}). */
    Uni<RayJob> startFor(TrainingRun run, String createdBy) {
        if (run.problemType == ProblemType.Forecast) {
            throw new UnprocessableEntityException("'train_id': run " + run.id
                    + " is a forecast; feature importance explains Classification and Regression models.");
        }
        return Panache.withSession(() -> preprocesses.findById(run.preprocessId))
                .chain(preprocess -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    List<String> files = artifacts.snapshotFiles(run);
                    if (files == null) {
                        throw new ConflictException("The dataset snapshot run " + run.id
                                + " learned from no longer exists.");
                    }
                    Map<String, Object> spec = new LinkedHashMap<>();
                    spec.put("train_id", run.id);
                    spec.put("problem_type", run.problemType.name());
                    spec.put("columns", views.read(preprocess.columns));
                    spec.put("files", files);
                    spec.put("model", artifacts.readUrls(run, List.of("model.joblib")).get("model.joblib"));
                    spec.put("sample_rows", config.shapSampleRows());
                    spec.put("seed", config.seed());
                    return new JobLifecycle.Submission(run.tenantId, JobKind.SHAP, run.id.toString(), createdBy,
                            "python -m dmlp_jobs.importance", spec);
                }), false))
                .chain(lifecycle::start);
    }

    /** The model's latest SHAP job and result; 404 when none was run (or it was deleted). */
    public Uni<View> view(Caller caller, long trainId) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> runs.visible(caller, trainId)
                .chain(run -> jobs.latest(JobKind.SHAP, run.id.toString())))
                .chain(job -> {
                    if (job == null) {
                        throw new ResourceNotFoundException("No feature importance was generated for run " + trainId
                                + ": GET /api/v1/train/generate-feature-importance?train_id=" + trainId + ".");
                    }
                    return lifecycle.refresh(job.id);
                })
                .map(job -> new View(job, job.result == null ? null
                        : views.read(job.result).path("feature_importance")));
    }

    /** Stops a running SHAP job of the model and forgets its results; 404 when there are none. */
    public Uni<Void> delete(Caller caller, long trainId) {
        caller.require(Permission.TRAIN_MODELS);
        return Panache.withSession(() -> runs.visible(caller, trainId)
                .chain(run -> jobs.owned(JobKind.SHAP, run.id.toString())))
                .chain(owned -> {
                    if (owned.isEmpty()) {
                        throw new ResourceNotFoundException("Run " + trainId + " has no feature importance.");
                    }
                    return forget(owned);
                });
    }

    /** Stops the unfinished ones of these SHAP jobs and deletes them all. */
    Uni<Void> forget(List<RayJob> owned) {
        return lifecycle.cancelAll(owned)
                .chain(() -> Panache.withTransaction(() -> jobs.delete("id in ?1",
                        owned.stream().map(job -> job.id).toList())))
                .replaceWithVoid();
    }

    /** A SHAP job's result posted back. */
    public Uni<Void> complete(RoutingContext request) {
        return lifecycle.complete(JobKind.SHAP, request).replaceWithVoid();
    }

    @Override
    public JobKind kind() {
        return JobKind.SHAP;
    }

    @Override
    public String callbackPath() {
        return CALLBACK_PATH;
    }

    @Override
    public String eventPrefix() {
        return "shap.";
    }

    @Override
    public Uni<Map<String, Object>> describe(RayJob job) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train_id", Long.parseLong(job.ownerId));
        if (job.status == JobStatus.COMPLETED && job.result != null) {
            data.put("feature_importance", views.read(job.result).path("feature_importance"));
        }
        return Uni.createFrom().item(data);
    }

    @Override
    public JsonNode result(RayJob job, JsonNode body) {
        JsonNode result = body.path("result");
        if (!result.path("feature_importance").isObject()) {
            throw new UnprocessableEntityException("A succeeded result needs 'result.feature_importance'.");
        }
        return result;
    }
}
