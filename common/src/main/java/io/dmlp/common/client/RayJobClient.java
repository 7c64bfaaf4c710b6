package io.dmlp.common.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.config.RayAuth;
import io.dmlp.common.config.RayConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Ray's Job Submission REST API ({@link RayJobApi}, a Quarkus REST Client), as every service that runs jobs uses
 * it: code shipped once per content hash,
 * idempotent submits keyed by our own job id, status, logs and stop. Calls are bounded by a timeout, retried
 * when Ray is unreachable or answers 5xx (e.g. "No available agent" right after a start), and a circuit breaker
 * stops hammering a Ray that is down. Failures surface as {@link RayUnavailableException} (503) or
 * {@link RayRequestException} (Ray refused the request).
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.ray.enabled", stringValue = "true")
public class RayJobClient {

    /**
     * Where a job stands; {@link #terminal()} once Ray will not change it any more, and then {@code endTime} says
     * since when (null before). {@code metadata} is what the submitter recorded (tenant, kind, owner), empty for a
     * job submitted without.
     */
    public record JobStatus(String submissionId, String status, String message, Instant endTime,
            Map<String, String> metadata) {

        private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "STOPPED");

        public boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    /** A reply of Ray's: its status and body (empty when it had none). */
    private record Reply(int status, String body) {
    }

    private final RayConfig config;
    private final ObjectMapper json;
    private final RayJobApi api;

    public RayJobClient(RayConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.api = RestClients.build(RayJobApi.class, config.url(), config.timeout(), config.timeout());
    }

    /**
     * Makes {@code zip} (files at its root) available to jobs and returns its {@code runtime_env.working_dir}
     * URI. Uploaded once per content: the name is the content's hash.
     */
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, failOn = RayUnavailableException.class)
    public Uni<String> uploadPackage(byte[] zip) {
        String name = "_ray_pkg_" + sha256(zip).substring(0, 32) + ".zip";
        String path = "/api/packages/gcs/" + name;
        return send("GET " + path, api.findPackage(name, authorization()), Set.of(200, 404))
                .chain(found -> found.status() == 200 ? Uni.createFrom().item(found)
                        : send("PUT " + path, api.uploadPackage(name, authorization(), zip), Set.of(200)))
                .replaceWith("gcs://" + name);
    }

    /**
     * Submits a job under our own {@code submissionId}. Submitting the same id again is not an error: Ray
     * keeps the first job and refuses the reused id, which makes a retried submit idempotent.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, failOn = RayUnavailableException.class)
    public Uni<String> submit(String submissionId, String entrypoint, Map<String, Object> runtimeEnv,
            Map<String, String> metadata) {
        RayJobApi.JobSubmission body = new RayJobApi.JobSubmission(submissionId, entrypoint, runtimeEnv, metadata);
        return send("POST /api/jobs/", api.submit(authorization(), body), Set.of(200, 400, 500))
                .map(reply -> {
                    // Ray 2.60 answers a reused submission_id with a 500 whose body says "already exists".
                    if (reply.status() == 200 || reply.body().contains("already exists")) {
                        return submissionId;
                    }
                    if (reply.status() >= 500) {
                        throw new RayUnavailableException("Ray failed to take the job: " + excerpt(reply.body()));
                    }
                    throw new RayRequestException(400, "Ray refused the job: " + excerpt(reply.body()));
                });
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, failOn = RayUnavailableException.class)
    public Uni<JobStatus> status(String submissionId) {
        return send("GET /api/jobs/" + submissionId, api.status(submissionId, authorization()), Set.of(200))
                .map(reply -> {
                    JsonNode job = read(reply.body());
                    long endTime = job.path("end_time").asLong(0);
                    Map<String, String> metadata = new LinkedHashMap<>();
                    job.path("metadata").fields().forEachRemaining(field -> metadata.put(field.getKey(),
                            field.getValue().asText()));
                    return new JobStatus(submissionId, job.path("status").asText(), job.path("message").asText(null),
                            endTime > 0 ? Instant.ofEpochMilli(endTime) : null, metadata);
                });
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    public Uni<String> logs(String submissionId) {
        return send("GET /api/jobs/" + submissionId + "/logs", api.logs(submissionId, authorization()), Set.of(200))
                .map(reply -> read(reply.body()).path("logs").asText(""));
    }

    /** Asks Ray to stop the job; false when it had already ended. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    public Uni<Boolean> stop(String submissionId) {
        return send("POST /api/jobs/" + submissionId + "/stop", api.stop(submissionId, authorization()), Set.of(200))
                .map(reply -> read(reply.body()).path("stopped").asBoolean(false));
    }

    /** Read on each call, so a rotated token is picked up. */
    private String authorization() {
        return RayAuth.authorizationHeader(config).orElse(null);
    }

    /**
     * Ray's reply to {@code call} ({@code what} names it in errors): an expected status as it is, a 5xx or no
     * answer as {@link RayUnavailableException} (retried), any other status as {@link RayRequestException}.
     */
    private Uni<Reply> send(String what, Uni<Response> call, Set<Integer> expected) {
        return call.onFailure().transform(failure -> new RayUnavailableException("Ray is not reachable at "
                        + config.url() + ": " + failure.getClass().getSimpleName()))
                .map(response -> {
                    Reply reply = new Reply(response.getStatus(), response.hasEntity()
                            ? response.readEntity(String.class) : "");
                    if (expected.contains(reply.status())) {
                        return reply;
                    }
                    String answered = what + " answered " + reply.status() + ": " + excerpt(reply.body());
                    if (reply.status() >= 500) {
                        throw new RayUnavailableException("Ray failed: " + answered);
                    }
                    throw new RayRequestException(reply.status(), "Ray refused the request: " + answered);
                });
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RayUnavailableException("Ray answered something that is not JSON: " + excerpt(body));
        }
    }

    private static String excerpt(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
