package io.dmlp.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.lakehouse.ObjectStore;
import io.dmlp.dataset.config.StatisticsConfig;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.event.DatasetEvents;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.dataset.repository.SilverTables;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.jobs.service.JobLifecycle;
import io.dmlp.jobs.service.JobOwner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dataset statistics computed by a Ray job ({@code dmlp_jobs.statistics}) over the silver table's data files, run
 * through the shared {@link JobLifecycle}: the job is owned by its dataset, posts its statistics back with its
 * credential, and its transitions are {@code dataset.statistics.*} events on the dataset topic.
 */
@ApplicationScoped
public class StatisticsService implements JobOwner {

    static final String CALLBACK_PATH = "/api/v1/dataset/statistics/result";

    /** What a caller sees of a job. */
    public record View(RayJob job, JsonNode statistics) {
    }

    private final DatasetRepository datasets;
    private final RayJobRepository jobs;
    private final JobLifecycle lifecycle;
    private final SilverTables silver;
    private final ObjectStore store;
    private final StatisticsConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;

    public StatisticsService(DatasetRepository datasets, RayJobRepository jobs, JobLifecycle lifecycle,
            SilverTables silver, ObjectStore store, StatisticsConfig config, ObjectMapper json, Vertx vertx) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.silver = silver;
        this.store = store;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    /**
     * Starts a job on the dataset's data. It gets exactly what it needs: time-limited read URLs for the data
     * files, no store keys, as Ray workers start without the platform's environment. If Ray cannot take it, the job
     * is recorded as failed and this is a 503.
     */
    public Uni<RayJob> start(Caller caller, long datasetId) {
        caller.require(Permission.UPLOAD_DATASETS);
        return Panache.withSession(() -> datasets.visible(caller, datasetId))
                .chain(dataset -> vertx.executeBlocking(Uni.createFrom().item(() -> submission(caller, dataset,
                        silver.dataFiles(dataset.tenantId, dataset.icebergTableName).stream()
                                .map(file -> store.readUrl(file, config.fileUrlValidity())).toList())), false))
                .chain(lifecycle::start);
    }

    /** The dataset's latest job, brought up to date with Ray, with its result. */
    public Uni<View> latest(Caller caller, long datasetId) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> datasets.visible(caller, datasetId)
                .chain(dataset -> jobs.latest(JobKind.STATISTICS, dataset.id.toString())))
                .chain(job -> {
                    if (job == null) {
                        throw new ResourceNotFoundException("No statistics were generated for dataset " + datasetId
                                + " yet: POST /api/v1/dataset/generate_statistics?dataset_id=" + datasetId + ".");
                    }
                    return lifecycle.refresh(job.id);
                })
                .map(job -> new View(job, job.result == null ? null : read(job.result)));
    }

    /** A job's result posted back ({@link JobLifecycle#complete}). */
    public Uni<Void> complete(RoutingContext request) {
        return lifecycle.complete(JobKind.STATISTICS, request).replaceWithVoid();
    }

    @Override
    public JobKind kind() {
        return JobKind.STATISTICS;
    }

    @Override
    public String callbackPath() {
        return CALLBACK_PATH;
    }

    @Override
    public String topic() {
        return DatasetEvents.TOPIC;
    }

    @Override
    public String domain() {
        return "dataset";
    }

    @Override
    public String eventPrefix() {
        return "statistics.";
    }

    @Override
    public Uni<Map<String, Object>> describe(RayJob job) {
        return Uni.createFrom().item(Map.of("dataset_id", Long.parseLong(job.ownerId)));
    }

    @Override
    public JsonNode result(RayJob job, JsonNode body) {
        if (!body.path("statistics").isObject()) {
            throw new UnprocessableEntityException("A succeeded result needs a 'statistics' object.");
        }
        return body.get("statistics");
    }

    private JobLifecycle.Submission submission(Caller caller, Dataset dataset, List<String> files) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dataset_id", dataset.id);
        spec.put("files", files);
        spec.put("columns", read(dataset.templateSchema));
        return new JobLifecycle.Submission(dataset.tenantId, JobKind.STATISTICS, dataset.id.toString(),
                caller.username(), "python -m dmlp_jobs.statistics", spec);
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
