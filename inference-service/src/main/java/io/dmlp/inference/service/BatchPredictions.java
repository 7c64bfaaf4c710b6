package io.dmlp.inference.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.client.DatasetClient;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.domain.Prediction;
import io.dmlp.inference.domain.PredictionType;
import io.dmlp.inference.repository.PredictionRepository;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.service.JobLifecycle;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code POST /inference/batchPrediction}: every check before any compute (the model in the caller's tenant and not
 * a forecaster; the dataset in the caller's tenant, valid, uploaded for prediction, with every feature column of the
 * model), then one transaction records the prediction and its Ray job ({@code dmlp_jobs.predict}) with the
 * {@code batch_prediction.submitted} event; the job goes to Ray once that committed. The job writes
 * {@code result.csv} (for download) and {@code result.parquet} (appended to the predictor's {@code gold} table when
 * its result comes back) under the prediction's folder.
 */
@ApplicationScoped
public class BatchPredictions implements PredictionJobOwner {

    static final String CALLBACK_PATH = "/api/v1/inference/batch-result";
    static final String CSV = "result.csv";
    static final String PARQUET = "result.parquet";
    private static final Logger LOG = Logger.getLogger(BatchPredictions.class);

    public record Started(Prediction prediction, RayJob job) {
    }

    private record Checked(DeployedModel model, DatasetClient.DatasetSchema dataset) {
    }

    private record Recorded(Prediction prediction, JobLifecycle.Recorded job) {
    }

    private final DeployedModels models;
    private final DatasetClient datasets;
    private final PredictionRepository predictions;
    private final JobLifecycle lifecycle;
    private final JobFiles files;
    private final GoldTables gold;
    private final Vertx vertx;
    private final ObjectMapper json;

    public BatchPredictions(DeployedModels models, DatasetClient datasets, PredictionRepository predictions,
            JobLifecycle lifecycle, JobFiles files, GoldTables gold, Vertx vertx, ObjectMapper json) {
        this.models = models;
        this.datasets = datasets;
        this.predictions = predictions;
        this.lifecycle = lifecycle;
        this.files = files;
        this.gold = gold;
        this.vertx = vertx;
        this.json = json;
    }

    /** Starts a batch job; {@code authorization} reads the dataset as the caller. */
    public Uni<Started> submit(Caller caller, long trainId, long datasetId, String authorization) {
        caller.require(Permission.RUN_INFERENCE);
        DeployedModel model = models.visible(caller, trainId);
        if (model.forecaster()) {
            throw new UnprocessableEntityException("'train_id': model " + trainId
                    + " forecasts a time series; ask /api/v1/inference/forecast.");
        }
        UUID tenantId = UUID.fromString(caller.tenantId());
        return datasets.schema(datasetId, authorization)
                .map(dataset -> new Checked(model, checked(model, dataset)))
                .chain(checked -> vertx.executeBlocking(Uni.createFrom().item(() -> files.pinnedFiles(tenantId,
                        datasetId, checked.dataset().icebergTableName(), "dataset_id")), false)
                        .chain(pinned -> Panache.withTransaction(() -> record(caller, checked, pinned))))
                .chain(recorded -> lifecycle.launch(recorded.job())
                        .map(job -> new Started(recorded.prediction(), job)));
    }

    private static DatasetClient.DatasetSchema checked(DeployedModel model, DatasetClient.DatasetSchema dataset) {
        if (!dataset.valid()) {
            throw new UnprocessableEntityException("'dataset_id': dataset " + dataset.id()
                    + " has no valid file to predict on.");
        }
        if (!"p".equals(dataset.usage())) {
            throw new UnprocessableEntityException("'dataset_id': dataset " + dataset.id()
                    + " was uploaded for training (usage '" + dataset.usage()
                    + "'); batch prediction needs a dataset with usage 'p'.");
        }
        Set<String> present = new HashSet<>();
        dataset.columns().forEach(column -> present.add(column.path("column_name").asText()));
        List<String> missing = model.features().stream().map(DeployedModel.Feature::name)
                .filter(name -> !present.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw new UnprocessableEntityException("'dataset_id': dataset " + dataset.id() + " lacks the feature"
                    + (missing.size() == 1 ? " column " : " columns ") + String.join(", ", missing) + " of model "
                    + model.trainId() + ".");
        }
        return dataset;
    }

    private Uni<Recorded> record(Caller caller, Checked checked, List<String> pinned) {
        DeployedModel model = checked.model();
        long datasetId = checked.dataset().id();
        Prediction prediction = Prediction.of(model, PredictionType.batch, "dataset_id:" + datasetId,
                caller.username(), OffsetDateTime.now(ZoneOffset.UTC));
        prediction.datasetId = datasetId;
        prediction.accuracy = null; // the job's, against the dataset's target when it has one
        return predictions.persist(prediction).chain(saved -> {
            saved.resultPath = files.output(model.tenantId(), saved.id, CSV);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("prediction_id", saved.id);
            spec.put("problem_type", model.problemType());
            spec.put("model", files.readUrl(model.artifacts() + "model.onnx"));
            spec.put("features", model.features().stream().map(BatchPredictions::column).toList());
            spec.put("labels", model.labels());
            spec.put("id_columns", model.idColumns());
            spec.put("target", column(model.target()));
            spec.put("files", pinned);
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put(CSV, files.writeUrl(saved.resultPath));
            outputs.put(PARQUET, files.writeUrl(files.output(model.tenantId(), saved.id, PARQUET)));
            spec.put("outputs", outputs);
            return lifecycle.record(new JobLifecycle.Submission(model.tenantId(), JobKind.BATCH_PREDICTION,
                    saved.id.toString(), caller.username(), "python -m dmlp_jobs.predict", spec)).map(recorded -> {
                        saved.rayJobId = recorded.job().id;
                        return new Recorded(saved, recorded);
                    });
        });
    }

    private static Map<String, String> column(DeployedModel.Feature feature) {
        return Map.of("column_name", feature.name(), "data_type", feature.type().canonical());
    }

    /**
     * A batch job's result posted back: once its transition committed (with the prediction's row count and accuracy,
     * see {@link #jobEnded}), its Parquet rows go to the predictor's gold table on a worker thread; a file that does not
     * fit that table is logged and leaves the prediction completed.
     */
    public Uni<Void> complete(RoutingContext request) {
        return lifecycle.complete(JobKind.BATCH_PREDICTION, request).chain(job -> job.status != JobStatus.COMPLETED
                ? Uni.createFrom().voidItem()
                : Panache.withSession(() -> predictions.findById(Long.parseLong(job.ownerId)))
                        .chain(prediction -> prediction == null ? Uni.createFrom().voidItem()
                                : appendToGold(prediction, job)));
    }

    /** A completed job's row count and accuracy, kept on its prediction in the transaction that completes it. */
    @Override
    public Uni<Void> jobEnded(RayJob job) {
        if (job.status != JobStatus.COMPLETED) {
            return Uni.createFrom().voidItem();
        }
        return predictions.findById(Long.parseLong(job.ownerId)).invoke(p -> {
            if (p != null) {
                JsonNode result = read(job.result);
                p.records = result.path("no_of_records").asLong();
                p.accuracy = result.path("accuracy").isNumber() ? result.get("accuracy").asDouble() : null;
            }
        }).replaceWithVoid();
    }

    private Uni<Void> appendToGold(Prediction prediction, RayJob job) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> gold.append(prediction.tenantId,
                prediction.predictorName, prediction.createdBy, prediction.id,
                files.output(prediction.tenantId, prediction.id, PARQUET), read(job.result).path("columns"))), false)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Prediction %d: its rows could not be appended to the gold table: %s", prediction.id,
                            e.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    @Override
    public JobKind kind() {
        return JobKind.BATCH_PREDICTION;
    }

    @Override
    public String callbackPath() {
        return CALLBACK_PATH;
    }

    @Override
    public String eventPrefix() {
        return "batch_prediction.";
    }

    /**
     * The {@linkplain PredictionJobOwner#predictionFields prediction's fields} ({@code result_path} is the CSV's
     * location); once completed also {@code no_of_records}, {@code accuracy} and {@code columns} (the result's column
     * names).
     */
    @Override
    public Uni<Map<String, Object>> describe(RayJob job) {
        return PredictionJobOwner.predictionFields(predictions, job).invoke(data -> {
            if (job.status == JobStatus.COMPLETED && job.result != null) {
                JsonNode result = read(job.result);
                data.put("no_of_records", result.path("no_of_records").asLong());
                data.put("accuracy", result.path("accuracy").isNumber() ? result.get("accuracy").asDouble() : null);
                List<String> columns = new java.util.ArrayList<>();
                result.path("columns").forEach(column -> columns.add(column.path("name").asText()));
                data.put("columns", columns);
            }
        });
    }

    /**
     * Keeps {@code no_of_records} (rows predicted), {@code columns} ({@code [{name, type}]}, the Arrow schema of
     * {@code result.parquet}) and {@code accuracy} (against the dataset's target; null without one).
     */
    @Override
    public JsonNode result(RayJob job, JsonNode body) {
        JsonNode result = body.path("result");
        if (!result.path("no_of_records").canConvertToLong() || !result.path("columns").isArray()
                || result.path("columns").isEmpty()) {
            throw new UnprocessableEntityException("A succeeded result needs 'result.no_of_records' (an integer) and"
                    + " 'result.columns' ([{name, type}]).");
        }
        for (JsonNode column : result.get("columns")) {
            if (!column.path("name").isTextual() || !column.path("type").isTextual()) {
                throw new UnprocessableEntityException("Each of 'result.columns' needs a 'name' and a 'type'.");
            }
        }
        return result;
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A stored job result is unreadable", e);
        }
    }
}
