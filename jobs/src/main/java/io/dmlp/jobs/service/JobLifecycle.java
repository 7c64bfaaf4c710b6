package io.dmlp.jobs.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.callback.JobCallbacks;
import io.dmlp.common.client.RayJobClient;
import io.dmlp.common.client.RayPackage;
import io.dmlp.common.client.RayRequestException;
import io.dmlp.common.config.CallbackConfig;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.JobCredential;
import io.dmlp.jobs.config.JobsConfig;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.event.JobEvents;
import io.dmlp.jobs.repository.RayJobRepository;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one lifecycle of every Ray job: recorded {@code submitted_to_ray} with a credential bound to it, submitted
 * under its own id with Ray metadata naming tenant, kind and owner, then moved to {@code running} and to
 * {@code completed | failed | cancelled} by its callback, by {@link #cancel}, or by comparing it with Ray
 * ({@link #reconcile()} for all, {@link #refresh} for one), so that no job stays unfinished once Ray has ended,
 * stopped or forgotten it, or has stayed unreachable past {@link JobsConfig#unreachableDeadline()}. Each transition
 * is announced on the owner's topic ({@link JobEvents}). Ray is never called inside a database transaction.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.ray.enabled", stringValue = "true")
public class JobLifecycle {

    private static final Logger LOG = Logger.getLogger(JobLifecycle.class);
    private static final int MESSAGE_TAIL = 1500;

    /**
     * A job to run: {@code spec} reaches it as {@code DMLP_JOB_SPEC} (JSON, with {@code job_id} added), next to its
     * callback URL and credential; nothing else of the platform's environment does.
     */
    public record Submission(UUID tenantId, JobKind kind, String ownerId, String createdBy, String entrypoint,
            Map<String, Object> spec) {
    }

    /** A job recorded but not yet sent to Ray; only {@link #launch} needs its credential. */
    public record Recorded(RayJob job, Submission submission, JobCredential credential) {
    }

    private final RayJobRepository jobs;
    private final RayJobClient ray;
    private final RayPackage rayPackage;
    private final JobCallbacks callbacks;
    private final CallbackConfig callbackConfig;
    private final JobsConfig config;
    private final JobEvents events;
    private final Instance<JobOwner> owners;
    private final ObjectMapper json;

    public JobLifecycle(RayJobRepository jobs, RayJobClient ray, RayPackage rayPackage, JobCallbacks callbacks,
            CallbackConfig callbackConfig, JobsConfig config, JobEvents events, Instance<JobOwner> owners,
            ObjectMapper json) {
        this.jobs = jobs;
        this.ray = ray;
        this.rayPackage = rayPackage;
        this.callbacks = callbacks;
        this.callbackConfig = callbackConfig;
        this.config = config;
        this.events = events;
        this.owners = owners;
        this.json = json;
    }

    /** Records the job and submits it to Ray; if Ray cannot take it, it is recorded as failed and this is a 503. */
    public Uni<RayJob> start(Submission submission) {
        return Panache.withTransaction(() -> record(submission)).chain(this::launch);
    }

    /**
     * Records the job ({@code submitted_to_ray}) and its event in the caller's transaction, so that an owner writes
     * its own records with it; {@link #launch} it once that transaction committed.
     */
    public Uni<Recorded> record(Submission submission) {
        JobCredential credential = JobCredential.issue();
        OffsetDateTime now = now();
        RayJob job = new RayJob();
        job.id = submission.kind().idPrefix() + "-" + UUID.randomUUID();
        job.tenantId = submission.tenantId();
        job.kind = submission.kind();
        job.ownerId = submission.ownerId();
        job.status = JobStatus.SUBMITTED_TO_RAY;
        job.callbackHash = credential.hash();
        job.createdBy = submission.createdBy();
        job.submittedAt = now;
        job.raySeenAt = now;
        return jobs.persist(job).call(saved -> events.announce(owner(saved.kind), saved))
                .map(saved -> new Recorded(saved, submission, credential));
    }

    /**
     * Submits a recorded job, its code package checked to be on this Ray first. A refused or failed submit fails
     * the job at once (503 to the caller); a crash before this point leaves a job Ray does not know, which
     * {@link #reconcile()} fails.
     */
    public Uni<RayJob> launch(Recorded recorded) {
        RayJob job = recorded.job();
        Submission submission = recorded.submission();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("job_id", job.id);
        spec.putAll(submission.spec());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DMLP_JOB_SPEC", write(spec));
        env.put("DMLP_CALLBACK_URL", callbackConfig.url(owner(job.kind).callbackPath()));
        env.put("DMLP_CALLBACK_TOKEN", recorded.credential().token());
        Map<String, String> metadata = Map.of("tenant_id", job.tenantId.toString(), "kind", job.kind.value(),
                "owner_id", job.ownerId);
        return rayPackage.workingDir()
                .chain(workingDir -> ray.submit(job.id, submission.entrypoint(),
                        Map.of("working_dir", workingDir, "env_vars", env), metadata))
                .replaceWith(job)
                .onFailure().recoverWithUni(failure -> move(job.id, JobStatus.FAILED,
                        "Could not start on Ray: " + failure.getMessage(), false)
                        .onItem().failWith(() -> new DependencyUnavailableException("Ray could not take the "
                                + job.kind.value() + " job; it is recorded as failed (" + job.id + "): "
                                + failure.getMessage())));
    }

    /**
     * A job's result, received through {@link JobCallbacks}: only the credential issued to a job of this kind is
     * accepted (401, before the body is read), a job that already ended is a 409, a body over 1 MiB a 413. The
     * body says {@code "status": "succeeded"} (with what the owner needs) or {@code "failed"} with an {@code error}.
     */
    public Uni<RayJob> complete(JobKind kind, RoutingContext request) {
        return callbacks.<RayJob>receive(request, hash -> Panache.withSession(() -> jobs.withCallbackHash(hash))
                .map(job -> job != null && job.kind == kind ? job : null), job -> job.status.terminal())
                .chain(received -> {
                    RayJob job = received.job();
                    JsonNode body = received.body();
                    if (!job.id.equals(body.path("job_id").asText(job.id))) {
                        throw new UnprocessableEntityException("'job_id' is not the job this credential was issued to.");
                    }
                    String status = body.path("status").asText();
                    if (!status.equals("succeeded") && !status.equals("failed")) {
                        throw new UnprocessableEntityException("'status' must be 'succeeded' or 'failed'.");
                    }
                    boolean succeeded = status.equals("succeeded");
                    JsonNode result = succeeded ? owner(kind).result(job, body) : null;
                    // Locked: of two results arriving together, the second sees the job ended (409).
                    return Panache.withTransaction(() -> jobs.findById(job.id, LockModeType.PESSIMISTIC_WRITE)
                            .chain(locked -> {
                                if (locked.status.terminal()) {
                                    throw new ConflictException("Job " + job.id + " already ended ("
                                            + locked.status.value() + ").");
                                }
                                locked.result = succeeded ? result.toString() : null;
                                locked.moveTo(succeeded ? JobStatus.COMPLETED : JobStatus.FAILED,
                                        body.path("error").asText("The job reported a failure."), now());
                                return owner(kind).jobEnded(locked).chain(() -> events.announce(owner(kind), locked))
                                        .replaceWith(locked);
                            }));
                });
    }

    /**
     * Stops the tenant's job on Ray and records it {@code cancelled}. A job of another tenant is as unknown as a
     * missing one (404); a job that already ended is a 409; a Ray that cannot be reached to stop it a 503.
     */
    public Uni<RayJob> cancel(UUID tenantId, String jobId) {
        return Panache.withSession(() -> jobs.findById(jobId)).chain(job -> {
            if (job == null || !job.tenantId.equals(tenantId)) {
                throw new ResourceNotFoundException("Job " + jobId + " not found.");
            }
            if (job.status.terminal()) {
                throw new ConflictException("Job " + jobId + " already ended (" + job.status.value() + ").");
            }
            // Ray not knowing the job (never submitted, or a restarted Ray) leaves nothing to stop.
            return ray.stop(jobId).onFailure(RayRequestException.class).recoverWithItem(false)
                    .chain(() -> move(jobId, JobStatus.CANCELLED, "Cancelled on request.", true))
                    .invoke(moved -> {
                        if (moved.status != JobStatus.CANCELLED) {
                            throw new ConflictException("Job " + jobId + " ended (" + moved.status.value()
                                    + ") before it could be cancelled.");
                        }
                    });
        });
    }

    /**
     * Stops the unfinished ones of {@code jobs} (each recorded and announced {@code cancelled}; one that ends
     * meanwhile keeps how it ended): what an owner does before it is deleted, and its jobs with it.
     */
    public Uni<Void> cancelAll(List<RayJob> jobs) {
        return Multi.createFrom().iterable(jobs).filter(job -> !job.status.terminal())
                .onItem().transformToUniAndConcatenate(job -> cancel(job.tenantId, job.id)
                        .onFailure(ConflictException.class).recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /** The job as it stands after comparing it with Ray, when it is unfinished; null for an unknown id. */
    public Uni<RayJob> refresh(String jobId) {
        return Panache.withSession(() -> jobs.findById(jobId))
                .chain(job -> job == null || job.status.terminal() ? Uni.createFrom().item(job) : compare(job));
    }

    /** Compares every unfinished job with Ray. */
    @Scheduled(every = "${dmlp.jobs.reconcile-every:20s}", delayed = "${dmlp.jobs.reconcile-every:20s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> reconcile() {
        return Panache.withSession(jobs::unfinished)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(this::compare)
                .collect().last().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Reconciling Ray jobs failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<RayJob> compare(RayJob job) {
        OffsetDateTime now = now();
        return ray.status(job.id).map(status -> observed(job, status, now))
                .onFailure(RayRequestException.class).recoverWithItem(() -> job.submittedAt
                        .isBefore(now.minus(config.callbackGrace())) // its submit may still be on the way
                                ? Observation.ended(JobStatus.FAILED, "Ray no longer knows the job.")
                                : Observation.NOTHING)
                .onFailure().recoverWithItem(failure -> job.raySeenAt.isBefore(now.minus(config.unreachableDeadline()))
                        ? Observation.ended(JobStatus.FAILED, "Ray was unreachable for longer than "
                                + config.unreachableDeadline().toString().substring(2).toLowerCase() + ": "
                                + failure.getMessage())
                        : Observation.NOTHING)
                .chain(observation -> observation == Observation.NOTHING ? Uni.createFrom().item(job)
                        : move(job.id, observation.next(), observation.reason(), observation.raySeen()));
    }

    /** What Ray's answer means for the job: a new state, or only that Ray answered. */
    private record Observation(JobStatus next, String reason, boolean raySeen) {
        static final Observation NOTHING = new Observation(null, null, false);
        static final Observation SEEN = new Observation(null, null, true);

        static Observation ended(JobStatus next, String reason) {
            return new Observation(next, reason, false);
        }
    }

    private Observation observed(RayJob job, RayJobClient.JobStatus status, OffsetDateTime now) {
        if ("STOPPED".equals(status.status())) {
            return new Observation(JobStatus.CANCELLED, "Stopped on Ray.", true);
        }
        if (status.terminal()) {
            // A finished job's callback may still be on its way.
            boolean overdue = status.endTime() == null
                    || status.endTime().isBefore(now.toInstant().minus(config.callbackGrace()));
            return overdue ? new Observation(JobStatus.FAILED, "Ray ended the job (" + status.status()
                    + ") without a result" + (status.message() == null ? "" : ": " + tail(status.message())), true)
                    : Observation.SEEN;
        }
        return "RUNNING".equals(status.status()) && job.status == JobStatus.SUBMITTED_TO_RAY
                ? new Observation(JobStatus.RUNNING, null, true) : Observation.SEEN;
    }

    /** Moves the job when its state allows, announcing it, and notes that Ray answered about it. */
    private Uni<RayJob> move(String jobId, JobStatus next, String reason, boolean raySeen) {
        return Panache.withTransaction(() -> jobs.findById(jobId, LockModeType.PESSIMISTIC_WRITE).chain(job -> {
            OffsetDateTime now = now();
            if (raySeen) {
                job.raySeenAt = now;
            }
            return next != null && job.moveTo(next, reason, now)
                    ? events.announce(owner(job.kind), job).replaceWith(job)
                    : Uni.createFrom().item(job);
        }));
    }

    private JobOwner owner(JobKind kind) {
        return owners.stream().filter(owner -> owner.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("No JobOwner for " + kind.value() + " jobs"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The end of Ray's message, where its log excerpt says why (it may hold 20,000 characters of log). */
    private static String tail(String message) {
        return message.length() <= MESSAGE_TAIL ? message : "…" + message.substring(message.length() - MESSAGE_TAIL);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
