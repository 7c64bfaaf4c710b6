package io.dmlp.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.client.RayJobClient;
import io.dmlp.common.client.RayPackage;
import io.dmlp.common.client.RayRequestException;
import io.dmlp.common.callback.JobCallbacks;
import io.dmlp.common.config.CallbackConfig;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.outbox.Outbox;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.JobCredential;
import io.dmlp.common.security.Permission;
import io.dmlp.dataset.client.ObjectStore;
import io.dmlp.dataset.config.StatisticsConfig;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.domain.StatisticsJob;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.dataset.repository.SilverTables;
import io.dmlp.dataset.repository.StatisticsJobRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Dataset statistics computed by a Ray job ({@code dmlp_jobs.statistics}) over the silver table's data files.
 * The job posts its result back with a credential bound to it. Every job ends succeeded or failed: a submit
 * Ray refuses or cannot take fails the job at once, and {@link #reconcile()} fails jobs Ray ended or lost
 * without a callback.
 */
@ApplicationScoped
public class StatisticsService {

    static final String CALLBACK_PATH = "/api/v1/dataset/statistics/result";
    /** A job Ray reports finished gets this long for its callback to arrive before it is failed. */
    static final Duration CALLBACK_GRACE = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(StatisticsService.class);

    /** What a caller sees of a job. */
    public record View(StatisticsJob job, JsonNode statistics) {
    }

    private final DatasetRepository datasets;
    private final StatisticsJobRepository jobs;
    private final SilverTables silver;
    private final RayJobClient ray;
    private final RayPackage rayPackage;
    private final ObjectStore store;
    private final StatisticsConfig config;
    private final CallbackConfig callbackConfig;
    private final JobCallbacks callbacks;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Vertx vertx;

    public StatisticsService(DatasetRepository datasets, StatisticsJobRepository jobs, SilverTables silver,
            RayJobClient ray, RayPackage rayPackage, ObjectStore store, StatisticsConfig config,
            CallbackConfig callbackConfig, JobCallbacks callbacks, Outbox outbox, ObjectMapper json, Vertx vertx) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.silver = silver;
        this.ray = ray;
        this.rayPackage = rayPackage;
        this.store = store;
        this.config = config;
        this.callbackConfig = callbackConfig;
        this.callbacks = callbacks;
        this.outbox = outbox;
        this.json = json;
        this.vertx = vertx;
    }

    /** Records a job and submits it to Ray; if Ray cannot take it, the job is recorded as failed and this is a 503. */
    public Uni<StatisticsJob> start(Caller caller, long datasetId) {
        caller.require(Permission.UPLOAD_DATASETS);
        JobCredential credential = JobCredential.issue();
        return Panache.withTransaction(() -> caller.visible(datasets.findById(datasetId), d -> d.tenantId,
                "Dataset " + datasetId + " not found.").chain(dataset -> {
                    StatisticsJob job = new StatisticsJob();
                    job.id = "stat-" + UUID.randomUUID();
                    job.tenantId = dataset.tenantId;
                    job.datasetId = dataset.id;
                    job.status = StatisticsJob.PENDING;
                    job.callbackHash = credential.hash();
                    job.createdBy = caller.username();
                    job.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return jobs.persist(job).map(saved -> Map.entry(dataset, saved));
                }))
                .chain(started -> submit(started.getKey(), started.getValue(), credential)
                        .chain(() -> finish(started.getValue().id, StatisticsJob.RUNNING, null, null))
                        .onFailure().recoverWithUni(failure -> finish(started.getValue().id, StatisticsJob.FAILED,
                                null, "Could not start on Ray: " + failure.getMessage())
                                .onItem().failWith(() -> new DependencyUnavailableException("Ray could not take the "
                                        + "statistics job; it is recorded as failed (" + started.getValue().id + "): "
                                        + failure.getMessage()))));
    }

    /** The dataset's latest job with its result. */
    public Uni<View> latest(Caller caller, long datasetId) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> caller.visible(datasets.findById(datasetId), d -> d.tenantId,
                        "Dataset " + datasetId + " not found.")
                .chain(dataset -> jobs.latest(dataset.id)))
                .map(job -> {
                    if (job == null) {
                        throw new ResourceNotFoundException("No statistics were generated for dataset " + datasetId
                                + " yet: POST /api/v1/dataset/generate_statistics?dataset_id=" + datasetId + ".");
                    }
                    return new View(job, job.statistics == null ? null : read(job.statistics));
                });
    }

    /**
     * A job's result, received through {@link JobCallbacks}: only the credential issued to that job is accepted
     * (401, before the body is read), a job that already ended is a 409, a body over 1 MiB a 413.
     */
    public Uni<Void> complete(RoutingContext request) {
        return callbacks.receive(request, hash -> Panache.withSession(() -> jobs.withCallbackHash(hash)),
                StatisticsJob::finished).chain(received -> {
                    JsonNode result = received.body();
                    String jobId = received.job().id;
                    if (!jobId.equals(result.path("job_id").asText(jobId))) {
                        throw new UnprocessableEntityException("'job_id' is not the job this credential was issued to.");
                    }
                    boolean succeeded = "succeeded".equals(result.path("status").asText());
                    if (succeeded && !result.path("statistics").isObject()) {
                        throw new UnprocessableEntityException("A succeeded result needs a 'statistics' object.");
                    }
                    // Locked: of two results arriving together, the second sees the job ended (409).
                    return Panache.withTransaction(() -> jobs.findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                            .chain(job -> {
                                if (job.finished()) {
                                    throw new ConflictException("Statistics job " + jobId + " already ended ("
                                            + job.status + ").");
                                }
                                job.status = succeeded ? StatisticsJob.SUCCEEDED : StatisticsJob.FAILED;
                                job.statistics = succeeded ? result.get("statistics").toString() : null;
                                job.error = succeeded ? null
                                        : result.path("error").asText("The job reported a failure.");
                                job.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
                                return announce(job);
                            }));
                });
    }

    /** Fails unfinished jobs that Ray ended (or no longer knows) without posting a result. */
    @Scheduled(every = "${dmlp.statistics.reconcile-every:20s}", delayed = "${dmlp.statistics.reconcile-every:20s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> reconcile() {
        return Panache.withSession(() -> jobs.unfinished(OffsetDateTime.now(ZoneOffset.UTC).minus(CALLBACK_GRACE)))
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(job -> ray.status(job.id)
                        .map(status -> status.terminal() ? "Ray ended the job (" + status.status() + ") without a "
                                + "result" + (status.message() == null ? "" : ": " + status.message()) : null)
                        .onFailure(RayRequestException.class).recoverWithItem("Ray no longer knows the job.")
                        .onFailure().recoverWithItem((String) null) // Ray unreachable: ask again next time
                        .chain(reason -> reason == null ? Uni.createFrom().voidItem()
                                : finish(job.id, StatisticsJob.FAILED, null, reason).replaceWithVoid()))
                .collect().last().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Reconciling statistics jobs failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * The job gets exactly what it needs in its runtime_env: time-limited read URLs for the data files it reads,
     * its callback and the credential bound to it. No store keys: Ray workers start without the platform's
     * environment.
     */
    private Uni<String> submit(Dataset dataset, StatisticsJob job, JobCredential credential) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> silver.dataFiles(dataset.tenantId,
                        dataset.icebergTableName).stream()
                        .map(file -> store.readUrl(file, config.fileUrlValidity())).toList()), false)
                .chain(files -> rayPackage.workingDir().chain(workingDir -> {
                    Map<String, Object> spec = new LinkedHashMap<>();
                    spec.put("job_id", job.id);
                    spec.put("dataset_id", dataset.id);
                    spec.put("files", files);
                    spec.put("columns", read(dataset.templateSchema));
                    Map<String, String> env = new LinkedHashMap<>();
                    env.put("DMLP_JOB_SPEC", write(spec));
                    env.put("DMLP_CALLBACK_URL", callbackConfig.url(CALLBACK_PATH));
                    env.put("DMLP_CALLBACK_TOKEN", credential.token());
                    return ray.submit(job.id, "python -m dmlp_jobs.statistics",
                            Map.of("working_dir", workingDir, "env_vars", env),
                            Map.of("kind", "statistics", "tenant_id", dataset.tenantId.toString(),
                                    "dataset_id", dataset.id.toString()));
                }));
    }

    private Uni<StatisticsJob> finish(String jobId, String status, String statistics, String error) {
        return Panache.withTransaction(() -> jobs.findById(jobId).chain(job -> {
            if (job.finished()) {
                return Uni.createFrom().item(job); // the callback was first
            }
            job.status = status;
            job.statistics = statistics;
            job.error = error;
            if (job.finished()) {
                job.finishedAt = OffsetDateTime.now(ZoneOffset.UTC);
                return announce(job).replaceWith(job);
            }
            return Uni.createFrom().item(job);
        }));
    }

    private Uni<Void> announce(StatisticsJob job) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dataset_id", job.datasetId);
        data.put("job_id", job.id);
        data.put("status", job.status);
        if (job.error != null) {
            data.put("error", job.error);
        }
        return outbox.append(DatasetService.TOPIC, "dataset", StatisticsJob.SUCCEEDED.equals(job.status)
                ? "statistics.completed" : "statistics.failed", job.datasetId.toString(), job.tenantId.toString(),
                data).replaceWithVoid();
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
