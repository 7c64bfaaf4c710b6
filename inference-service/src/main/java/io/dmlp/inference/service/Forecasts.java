package io.dmlp.inference.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dmlp.common.client.DatasetClient;
import io.dmlp.common.error.GatewayTimeoutException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.inference.config.InferenceConfig;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.domain.Prediction;
import io.dmlp.inference.domain.PredictionType;
import io.dmlp.inference.repository.PredictionRepository;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.jobs.service.JobLifecycle;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * {@code POST /inference/forecast}: the next {@code steps} points of one series of a forecasting model. Answered at
 * once from the forecast stored at training time ({@code forecast.json}, cached per model) when it covers the request
 * and no {@code dataset_id} brings future exogenous values; otherwise by a Ray job ({@code dmlp_jobs.forecast_ahead},
 * on the shared lifecycle) that the request waits for, within {@link InferenceConfig.Forecast#waitFor()}: its callback on
 * this instance ends the wait at once, and the job is re-read from the database meanwhile (its callback may reach
 * another instance). Every forecast is logged.
 */
@ApplicationScoped
public class Forecasts implements PredictionJobOwner {

    static final String CALLBACK_PATH = "/api/v1/inference/forecast-result";
    static final String OUTPUT = "forecast.json";
    static final List<String> FREQUENCIES = List.of("Hour", "Day", "Week", "Month", "Quarter", "Year");
    static final List<Integer> LEVELS = List.of(80, 95);

    /** The guide's body; {@code dataset_id} optionally brings the future exogenous values. */
    public record Request(Long trainId, Long preprocessId, Integer steps, String frequency, String uniqueId,
            Long datasetId) {
    }

    /** One point: the 95% interval as {@code lower}/{@code upper}, the 80% one beside it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(String date, Double value, double confidence, Double lower, Double upper,
            @JsonProperty("lower_80") Double lower80, @JsonProperty("upper_80") Double upper80) {
    }

    public record Answer(List<Point> forecast) {
    }

    private final DeployedModels models;
    private final DatasetClient datasets;
    private final PredictionRepository predictions;
    private final RayJobRepository jobs;
    private final JobLifecycle lifecycle;
    private final JobFiles files;
    private final InferenceConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final Cache<Long, JsonNode> stored;
    /** The requests of this instance waiting for their job, by job id. */
    private final Map<String, CompletableFuture<RayJob>> waiting = new ConcurrentHashMap<>();

    public Forecasts(DeployedModels models, DatasetClient datasets, PredictionRepository predictions,
            RayJobRepository jobs, JobLifecycle lifecycle, JobFiles files, InferenceConfig config, Vertx vertx,
            ObjectMapper json) {
        this.models = models;
        this.datasets = datasets;
        this.predictions = predictions;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.files = files;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
        this.stored = Caffeine.newBuilder().maximumSize(config.forecast().cacheSize()).build();
    }

    public Uni<Answer> forecast(Caller caller, Request request, String authorization) {
        caller.require(Permission.RUN_INFERENCE);
        DeployedModel model = checked(caller, request);
        return storedForecast(model).chain(forecast -> {
            String frequency = frequency(forecast.path("freq").asText(""));
            if (!request.frequency().equals(frequency)) {
                throw new UnprocessableEntityException("'frequency': model " + model.trainId() + " forecasts "
                        + (frequency == null ? "at a frequency (" + forecast.path("freq").asText() + ") none of "
                                + String.join(", ", FREQUENCIES) + " names" : "by " + frequency) + ", not by "
                        + request.frequency() + ".");
            }
            JsonNode points = points(forecast, request.uniqueId());
            if (points == null) {
                throw new ResourceNotFoundException("'unique_id': model " + model.trainId() + " has no series '"
                        + request.uniqueId() + "'.");
            }
            if (request.datasetId() == null && request.steps() <= points.size()) {
                return Panache.withTransaction(() -> predictions.persist(logged(caller, model, request)))
                        .replaceWith(answer(points, request.steps(), frequency));
            }
            return ahead(caller, model, request, authorization, frequency);
        });
    }

    private DeployedModel checked(Caller caller, Request request) {
        if (request == null || request.trainId() == null) {
            throw new UnprocessableEntityException("'train_id' is required.");
        }
        if (request.preprocessId() == null) {
            throw new UnprocessableEntityException("'preprocess_id' is required.");
        }
        int max = config.forecast().maxSteps();
        if (request.steps() == null || request.steps() < 1 || request.steps() > max) {
            throw new UnprocessableEntityException("'steps' must be between 1 and " + max + ".");
        }
        if (request.frequency() == null || !FREQUENCIES.contains(request.frequency())) {
            throw new UnprocessableEntityException("'frequency' must be one of " + String.join(", ", FREQUENCIES)
                    + ".");
        }
        if (request.uniqueId() == null || request.uniqueId().isBlank()) {
            throw new UnprocessableEntityException("'unique_id' is required: the series to forecast.");
        }
        DeployedModel model = models.visible(caller, request.trainId());
        if (!model.forecaster()) {
            throw new UnprocessableEntityException("'train_id': model " + model.trainId() + " is a "
                    + model.problemType() + " model; forecasts need a Forecast model.");
        }
        if (request.preprocessId() != model.preprocessId()) {
            throw new UnprocessableEntityException("'preprocess_id': model " + model.trainId()
                    + " uses preprocess record " + model.preprocessId() + ", not " + request.preprocessId() + ".");
        }
        return model;
    }

    /** The model's {@code forecast.json}, read from the bucket (on a worker thread) the first time. */
    private Uni<JsonNode> storedForecast(DeployedModel model) {
        JsonNode cached = stored.getIfPresent(model.trainId());
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> files.readJson(model.artifacts() + OUTPUT)), false)
                .invoke(read -> stored.put(model.trainId(), read));
    }

    /** The name a client gives the model's pandas frequency; null for one none names. */
    static String frequency(String freq) {
        String base = freq.replaceFirst("^\\d+", "");
        int dash = base.indexOf('-');
        base = dash < 0 ? base : base.substring(0, dash);
        if (base.equalsIgnoreCase("h")) {
            return "Hour";
        }
        if (base.equals("D") || base.equals("B")) {
            return "Day";
        }
        if (base.startsWith("W")) {
            return "Week";
        }
        if (base.equals("M") || base.equals("MS") || base.equals("ME")) {
            return "Month";
        }
        if (base.startsWith("Q")) {
            return "Quarter";
        }
        if (base.startsWith("Y") || base.startsWith("A")) {
            return "Year";
        }
        return null;
    }

    /** The points of series {@code id}: {@code series[{id, points}]}; null when it has none. */
    static JsonNode points(JsonNode forecast, String id) {
        for (JsonNode series : forecast.path("series")) {
            if (id.equals(series.path("id").asText(null))) {
                return series.path("points");
            }
        }
        return null;
    }

    static Answer answer(JsonNode points, int steps, String frequency) {
        List<Point> forecast = new ArrayList<>();
        for (int i = 0; i < steps && i < points.size(); i++) {
            JsonNode p = points.get(i);
            String ds = p.path("ds").asText();
            String date = "Hour".equals(frequency) || ds.length() < 10 ? ds : ds.substring(0, 10);
            forecast.add(new Point(date, number(p, "forecast"), 0.95, number(p, "lo_95"), number(p, "hi_95"),
                    number(p, "lo_80"), number(p, "hi_80")));
        }
        return new Answer(forecast);
    }

    private static Double number(JsonNode point, String field) {
        return point.path(field).isNumber() ? point.get(field).asDouble() : null;
    }

    private Prediction logged(Caller caller, DeployedModel model, Request request) {
        Prediction prediction = Prediction.of(model, PredictionType.forecast, write(request), caller.username(),
                OffsetDateTime.now(ZoneOffset.UTC));
        prediction.datasetId = request.datasetId();
        prediction.records = request.steps().longValue();
        prediction.accuracy = null;
        return prediction;
    }

    /** Beyond the stored horizon, or with exogenous values: a Ray job the request waits for. */
    private Uni<Answer> ahead(Caller caller, DeployedModel model, Request request, String authorization,
            String frequency) {
        UUID tenantId = model.tenantId();
        // Where the request runs: the wait ends on a timer's or another request's thread, the session needs this one.
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Executor onContext = command -> context.runOnContext(ignored -> command.run());
        Uni<List<String>> exogenous = request.datasetId() == null ? Uni.createFrom().item(List.of())
                : datasets.schema(request.datasetId(), authorization).chain(dataset -> {
                    if (!dataset.valid()) {
                        throw new UnprocessableEntityException("'dataset_id': dataset " + dataset.id()
                                + " has no valid file to read future values from.");
                    }
                    return vertx.executeBlocking(Uni.createFrom().item(() -> files.pinnedFiles(tenantId,
                            dataset.id(), dataset.icebergTableName(), "dataset_id")), false);
                });
        return exogenous.chain(pinned -> Panache.withTransaction(() -> record(caller, model, request, pinned)))
                .chain(recorded -> {
                    CompletableFuture<RayJob> done = new CompletableFuture<>();
                    waiting.put(recorded.job().id, done); // before launching: its callback may come back at once
                    return lifecycle.launch(recorded).onFailure().invoke(() -> waiting.remove(recorded.job().id))
                            .chain(job -> ended(job, done, onContext))
                            .eventually(() -> waiting.remove(recorded.job().id));
                })
                .chain(job -> {
                    if (job.status != JobStatus.COMPLETED) {
                        throw new UnprocessableEntityException("The forecast job " + job.id + " ended "
                                + job.status.value() + ": " + job.error);
                    }
                    return vertx.executeBlocking(Uni.createFrom().item(() -> files.readJson(files.output(tenantId,
                            Long.parseLong(job.ownerId), OUTPUT))), false);
                })
                // the job's forecast.json is one series': {series, freq, levels, points} (dmlp_jobs.forecast_ahead)
                .map(forecast -> answer(forecast.path("points"), request.steps(), frequency));
    }

    private Uni<JobLifecycle.Recorded> record(Caller caller, DeployedModel model, Request request,
            List<String> exogenous) {
        return predictions.persist(logged(caller, model, request)).chain(saved -> {
            saved.resultPath = files.output(model.tenantId(), saved.id, OUTPUT);
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("prediction_id", saved.id);
            spec.put("model", files.readUrl(model.artifacts() + "model.joblib"));
            spec.put("unique_id", request.uniqueId());
            spec.put("steps", request.steps());
            spec.put("levels", LEVELS);
            spec.put("exogenous_files", exogenous);
            spec.put("columns", roles(model));
            spec.put("output", Map.of(OUTPUT, files.writeUrl(saved.resultPath)));
            return lifecycle.record(new JobLifecycle.Submission(model.tenantId(), JobKind.FORECAST,
                    saved.id.toString(), caller.username(), "python -m dmlp_jobs.forecast_ahead", spec))
                    .invoke(recorded -> saved.rayJobId = recorded.job().id);
        });
    }

    /**
     * The job once it ended: told by its callback on this instance, or seen in the database; a 504 naming it when
     * that takes longer than the configured wait (the job goes on and is logged).
     */
    private Uni<RayJob> ended(RayJob job, CompletableFuture<RayJob> done, Executor onContext) {
        Uni<RayJob> told = Uni.createFrom().completionStage(done);
        Uni<RayJob> seen = Multi.createFrom().ticks().every(config.forecast().recheckEvery()).emitOn(onContext)
                .onItem().transformToUniAndConcatenate(tick -> Panache.withSession(() -> jobs.findById(job.id)))
                .select().where(found -> found != null && found.status.terminal())
                .toUni();
        return Uni.combine().any().of(told, seen)
                .ifNoItem().after(config.forecast().waitFor()).fail()
                .emitOn(onContext)
                .onFailure(TimeoutException.class).transform(e -> new GatewayTimeoutException("The forecast job "
                        + job.id + " did not finish within " + config.forecast().waitFor().toSeconds()
                        + " s; it goes on, and GET /api/v1/inference/result?prediction_id=" + job.ownerId
                        + " follows it."));
    }

    /** A forecast job's result posted back; a request of this instance waiting for it answers at once. */
    public Uni<Void> complete(RoutingContext request) {
        return lifecycle.complete(JobKind.FORECAST, request).invoke(job -> {
            CompletableFuture<RayJob> done = waiting.remove(job.id);
            if (done != null) {
                done.complete(job);
            }
        }).replaceWithVoid();
    }

    @Override
    public JobKind kind() {
        return JobKind.FORECAST;
    }

    @Override
    public String callbackPath() {
        return CALLBACK_PATH;
    }

    @Override
    public String eventPrefix() {
        return "forecast.";
    }

    /**
     * The {@linkplain PredictionJobOwner#predictionFields prediction's fields}; {@code dataset_id} is the dataset of
     * the exogenous values, or null.
     */
    @Override
    public Uni<Map<String, Object>> describe(RayJob job) {
        return PredictionJobOwner.predictionFields(predictions, job);
    }

    /** The points are in the job's {@code forecast.json}; what its result says beyond them is kept as it is. */
    @Override
    public JsonNode result(RayJob job, JsonNode body) {
        JsonNode result = body.path("result");
        return result.isObject() ? result : JsonNodeFactory.instance.objectNode();
    }

    private String write(Request request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The forecast's columns with the roles training gave them, as the job reads its exogenous files: a forecast's
     * schema is its Id (optional), Timestamp and Target columns, and only the Timestamp is a Date or DateTime.
     */
    static List<Map<String, String>> roles(DeployedModel model) {
        List<Map<String, String>> columns = new ArrayList<>();
        for (DeployedModel.Feature column : model.features()) {
            String role = model.target() != null && column.name().equals(model.target().name()) ? "Target"
                    : column.type() == DataType.DATE || column.type() == DataType.DATETIME ? "Timestamp" : "Id";
            columns.add(Map.of("column_name", column.name(), "data_type", column.type().canonical(),
                    "attribute_name", role));
        }
        return columns;
    }
}
