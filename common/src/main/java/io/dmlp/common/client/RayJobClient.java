package io.dmlp.common.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.config.RayAuth;
import io.dmlp.common.config.RayConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Ray's Job Submission REST API, as every service that runs jobs uses it: code shipped once per content hash,
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

    private final RayConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public RayJobClient(RayConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
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
        return send(request(path).GET(), Set.of(200, 404)).chain(found -> found.statusCode() == 200
                ? Uni.createFrom().item(found)
                : send(request(path).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(zip)), Set.of(200)))
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("submission_id", submissionId);
        body.put("entrypoint", entrypoint);
        body.put("runtime_env", runtimeEnv);
        body.put("metadata", metadata);
        return send(request("/api/jobs/").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))), Set.of(200, 400, 500))
                .map(response -> {
                    // Ray 2.60 answers a reused submission_id with a 500 whose body says "already exists".
                    if (response.statusCode() == 200 || response.body().contains("already exists")) {
                        return submissionId;
                    }
                    if (response.statusCode() >= 500) {
                        throw new RayUnavailableException("Ray failed to take the job: " + excerpt(response.body()));
                    }
                    throw new RayRequestException(400, "Ray refused the job: " + excerpt(response.body()));
                });
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, failOn = RayUnavailableException.class)
    public Uni<JobStatus> status(String submissionId) {
        return send(request("/api/jobs/" + submissionId).GET(), Set.of(200)).map(response -> {
            JsonNode job = read(response.body());
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
        return send(request("/api/jobs/" + submissionId + "/logs").GET(), Set.of(200))
                .map(response -> read(response.body()).path("logs").asText(""));
    }

    /** Asks Ray to stop the job; false when it had already ended. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = RayUnavailableException.class)
    public Uni<Boolean> stop(String submissionId) {
        return send(request("/api/jobs/" + submissionId + "/stop").POST(HttpRequest.BodyPublishers.noBody()),
                Set.of(200)).map(response -> read(response.body()).path("stopped").asBoolean(false));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.url() + path)).timeout(config.timeout());
        RayAuth.authorizationHeader(config).ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    private Uni<HttpResponse<String>> send(HttpRequest.Builder request, Set<Integer> expected) {
        HttpRequest built = request.build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(built, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(failure -> failure instanceof RayUnavailableException ? failure
                        : new RayUnavailableException("Ray is not reachable at " + config.url() + ": "
                                + failure.getClass().getSimpleName()))
                .map(response -> {
                    int status = response.statusCode();
                    if (expected.contains(status)) {
                        return response;
                    }
                    String what = built.method() + " " + built.uri().getPath() + " answered " + status + ": "
                            + excerpt(response.body());
                    if (status >= 500) {
                        throw new RayUnavailableException("Ray failed: " + what);
                    }
                    throw new RayRequestException(status, "Ray refused the request: " + what);
                });
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
