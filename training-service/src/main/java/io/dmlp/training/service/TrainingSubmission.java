package io.dmlp.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.client.DatasetClient;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UniqueViolation;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.jobs.service.JobLifecycle;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.training.config.TrainingConfig;
import io.dmlp.training.domain.Algorithm;
import io.dmlp.training.domain.Preprocess;
import io.dmlp.training.domain.ProblemType;
import io.dmlp.training.domain.TrainingPlan;
import io.dmlp.training.domain.TrainingRun;
import io.dmlp.training.repository.PreprocessRepository;
import io.dmlp.training.repository.TrainingRunRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /train/}: every check before any compute (permission, problem type, algorithm, the dataset in the
 * caller's tenant, valid, for training, the columns and their roles, the predictor's name or the model an incremental
 * run continues from), then one transaction records the run, its preprocess record, the dataset's pinned Iceberg
 * snapshot and the job with its {@code training.submitted} event; the job goes to Ray once that committed.
 */
@ApplicationScoped
public class TrainingSubmission {

    /** What a client asked for; {@code authorization} reads the dataset as the caller. */
    public record Request(long datasetId, String predictorName, String domain, String problemType,
            List<TrainingPlan.Requested> columns, boolean incremental, String algorithm, boolean shapEnabled,
            String authorization) {
    }

    public record Submitted(TrainingRun run, RayJob job) {
    }

    /** The checked request with the dataset it trains on and, for an incremental run, the model it continues. */
    private record Checked(Request request, DatasetClient.DatasetSchema dataset, TrainingPlan plan, String algorithm,
            TrainingRun parent) {
    }

    private final DatasetClient datasets;
    private final TrainingRunRepository runs;
    private final PreprocessRepository preprocesses;
    private final RayJobRepository jobs;
    private final JobLifecycle lifecycle;
    private final ModelArtifacts artifacts;
    private final ModelViews views;
    private final TrainingConfig config;
    private final Vertx vertx;

    public TrainingSubmission(DatasetClient datasets, TrainingRunRepository runs, PreprocessRepository preprocesses,
            RayJobRepository jobs, JobLifecycle lifecycle, ModelArtifacts artifacts, ModelViews views,
            TrainingConfig config, Vertx vertx) {
        this.datasets = datasets;
        this.runs = runs;
        this.preprocesses = preprocesses;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.artifacts = artifacts;
        this.views = views;
        this.config = config;
        this.vertx = vertx;
    }

    public Uni<Submitted> submit(Caller caller, Request request) {
        caller.require(Permission.TRAIN_MODELS);
        ProblemType problem = ProblemType.parse(request.problemType(), "problem_type");
        String algorithm = Algorithm.parse(request.algorithm(), problem);
        UUID tenantId = UUID.fromString(caller.tenantId());
        return datasets.schema(request.datasetId(), request.authorization())
                .map(dataset -> {
                    if (!"t".equals(dataset.usage())) {
                        throw new UnprocessableEntityException("'dataset_id': dataset " + dataset.id()
                                + " was uploaded for prediction (usage '" + dataset.usage()
                                + "'); training needs a dataset with usage 't'.");
                    }
                    if (!dataset.valid()) {
                        throw new UnprocessableEntityException("'dataset_id': dataset " + dataset.id()
                                + " has no valid file to train on.");
                    }
                    return new Checked(request, dataset, TrainingPlan.of(problem, dataset.columns(),
                            request.columns()), algorithm, null);
                })
                .chain(checked -> Panache.withSession(() -> predictor(tenantId, checked)))
                .chain(checked -> vertx.executeBlocking(Uni.createFrom().item(() -> artifacts.pin(tenantId,
                        checked.dataset().id(), checked.dataset().icebergTableName())), false)
                        .chain(pinned -> Panache.withTransaction(() -> record(caller, checked, pinned))
                                .onFailure(UniqueViolation::in).transform(e -> taken(request.predictorName()))))
                .chain(recorded -> lifecycle.launch(recorded.job()).map(job -> new Submitted(recorded.run(), job)));
    }

    private record Recorded(TrainingRun run, JobLifecycle.Recorded job) {
    }

    /**
     * A new predictor's name must be free in the tenant; an incremental run needs the predictor's latest completed
     * model, of the same problem type and target.
     */
    private Uni<Checked> predictor(UUID tenantId, Checked checked) {
        String name = checked.request().predictorName();
        return runs.ofPredictor(tenantId, name).chain(existing -> {
            if (!checked.request().incremental()) {
                if (!existing.isEmpty()) {
                    throw taken(name);
                }
                return Uni.createFrom().item(checked);
            }
            if (existing.isEmpty()) {
                throw new ResourceNotFoundException("Predictor '" + name + "' not found: an incremental run ("
                        + "is_incremental) continues an existing predictor.");
            }
            return jobs.withIds(existing.stream().map(run -> run.rayJobId).toList()).chain(found -> {
                TrainingRun parent = existing.stream().filter(run -> found.stream().anyMatch(job ->
                        job.id.equals(run.rayJobId) && job.status == JobStatus.COMPLETED)).findFirst()
                        .orElseThrow(() -> new UnprocessableEntityException("'is_incremental': predictor '" + name
                                + "' has no completed model to continue from."));
                if (parent.problemType != checked.plan().problem()) {
                    throw new UnprocessableEntityException("'problem_type': predictor '" + name + "' is a "
                            + parent.problemType + "; an incremental run keeps its problem type.");
                }
                return preprocesses.findById(parent.preprocessId).map(preprocess -> {
                    if (!views.read(preprocess.target).equals(views.read(views.write(target(checked.plan()))))) {
                        throw new UnprocessableEntityException("'columns': an incremental run keeps the target of"
                                + " predictor '" + name + "' (" + preprocess.target + ").");
                    }
                    return new Checked(checked.request(), checked.dataset(), checked.plan(), checked.algorithm(),
                            parent);
                });
            });
        });
    }

    private Uni<Recorded> record(Caller caller, Checked checked, Lakehouse.Pinned pinned) {
        Request request = checked.request();
        TrainingPlan plan = checked.plan();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        UUID tenantId = UUID.fromString(caller.tenantId());
        Preprocess preprocess = new Preprocess();
        preprocess.tenantId = tenantId;
        preprocess.predictorName = request.predictorName();
        preprocess.columns = views.write(plan.columns());
        preprocess.features = views.write(plan.inputs().stream()
                .map(c -> Map.of("column_name", c.columnName(), "data_type", c.dataType())).toList());
        preprocess.target = views.write(target(plan));
        preprocess.createdBy = caller.username();
        preprocess.createdAt = now;
        return preprocesses.persist(preprocess).chain(saved -> {
            TrainingRun run = new TrainingRun();
            run.tenantId = tenantId;
            run.predictorName = request.predictorName();
            run.domain = request.domain();
            run.problemType = plan.problem();
            run.algorithm = checked.algorithm();
            run.shapEnabled = request.shapEnabled();
            run.incremental = request.incremental();
            run.parentTrainId = checked.parent() == null ? null : checked.parent().id;
            run.datasetId = checked.dataset().id();
            run.datasetName = checked.dataset().name();
            run.dataSource = checked.dataset().dataSource();
            run.icebergTable = checked.dataset().icebergTableName();
            run.snapshotId = pinned.snapshotId();
            run.preprocessId = saved.id;
            run.artifacts = "";
            run.createdBy = caller.username();
            run.createdAt = now;
            run.modifiedAt = now;
            return runs.persist(run);
        }).chain(run -> {
            run.artifacts = artifacts.folder(tenantId, run.id) ;
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("train_id", run.id);
            spec.put("problem_type", plan.problem().name());
            spec.put("columns", specColumns(plan, checked.dataset().columns()));
            spec.put("algorithm", run.algorithm);
            spec.put("seed", config.seed());
            spec.put("files", artifacts.readUrls(pinned.dataFiles()));
            spec.put("artifacts", artifacts.writeUrls(run, plan.problem() == ProblemType.Forecast
                    ? ModelArtifacts.FORECAST_ARTIFACTS : ModelArtifacts.TABLE_ARTIFACTS));
            if (checked.parent() != null) {
                spec.put("parent_artifacts", artifacts.readUrls(checked.parent(), List.of("model.joblib")));
            }
            return lifecycle.record(new JobLifecycle.Submission(tenantId, JobKind.TRAINING, run.id.toString(),
                    caller.username(), "python -m dmlp_jobs.train", spec)).map(recorded -> {
                        run.rayJobId = recorded.job().id;
                        return new Recorded(run, recorded);
                    });
        });
    }

    /** The plan's columns as the job reads them, each with its template's default_value (null without one). */
    static List<Map<String, Object>> specColumns(TrainingPlan plan, JsonNode datasetColumns) {
        Map<String, String> defaults = new HashMap<>();
        datasetColumns.forEach(c -> defaults.put(c.path("column_name").asText(),
                c.path("default_value").isTextual() ? c.path("default_value").asText() : null));
        return plan.columns().stream().map(c -> {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("column_name", c.columnName());
            column.put("data_type", c.dataType());
            column.put("attribute_name", c.attributeName().name());
            column.put("default_value", defaults.get(c.columnName()));
            return column;
        }).toList();
    }

    private static Map<String, String> target(TrainingPlan plan) {
        return Map.of("column_name", plan.target().columnName(), "data_type", plan.target().dataType());
    }

    private static ConflictException taken(String name) {
        return new ConflictException("'predictor_name': a predictor named '" + name + "' exists; choose another"
                + " name, or set is_incremental to continue training it.");
    }
}
