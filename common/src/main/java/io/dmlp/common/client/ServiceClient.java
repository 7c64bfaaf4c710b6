package io.dmlp.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.PermissionDeniedException;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Reads a resource of another DMLP service with the caller's own token, so the caller's tenant and permissions
 * apply there too: another tenant's resource is as absent as a missing one. Wrap calls with timeout, retry and
 * circuit breaker in the CDI bean that uses it ({@link DependencyUnavailableException} is the retryable failure).
 */
public final class ServiceClient {

    private final String service;
    private final String baseUrl;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** {@code service}: its name in error messages, e.g. {@code catalog-service}. */
    public ServiceClient(String service, String baseUrl, ObjectMapper json) {
        this.service = service;
        this.baseUrl = baseUrl;
        this.json = json;
    }

    /**
     * GETs {@code path} as JSON. A 404 becomes {@code notFound}, a 401/403 a 403 naming {@code what}, anything
     * else unexpected a 503.
     */
    public Uni<JsonNode> get(String path, String authorization, String what,
            Supplier<? extends RuntimeException> notFound) {
        return get(path, "Authorization", authorization, what, notFound);
    }

    /** As {@link #get(String, String, String, Supplier)}, with the credential in {@code header}. */
    public Uni<JsonNode> get(String path, String header, String credential, String what,
            Supplier<? extends RuntimeException> notFound) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5))
                .header(header, credential == null ? "" : credential).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> new DependencyUnavailableException(service + " is not reachable."))
                .map(response -> {
                    switch (response.statusCode()) {
                        case 200 -> {
                            try {
                                return json.readTree(response.body());
                            } catch (Exception e) {
                                throw new DependencyUnavailableException(service + " answered unreadable JSON.");
                            }
                        }
                        case 404 -> throw notFound.get();
                        case 401, 403 -> throw new PermissionDeniedException("You may not read " + what + ".");
                        default -> throw new DependencyUnavailableException(service + " answered "
                                + response.statusCode() + " for " + what + ".");
                    }
                });
    }
}
