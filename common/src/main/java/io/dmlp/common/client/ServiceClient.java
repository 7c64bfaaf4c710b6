package io.dmlp.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.PermissionDeniedException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads resources of another DMLP service through its Quarkus REST Client interface {@code A}, with the caller's
 * own token (or the service credential), so the caller's tenant and permissions apply there too: another tenant's
 * resource is as absent as a missing one. Wrap calls with timeout, retry and circuit breaker in the CDI bean that
 * uses it ({@link DependencyUnavailableException} is the retryable failure).
 */
public final class ServiceClient<A> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final String service;
    private final A api;
    private final ObjectMapper json;

    /** {@code service}: its name in error messages, e.g. {@code catalog-service}. */
    public ServiceClient(String service, String baseUrl, Class<A> api, ObjectMapper json) {
        this.service = service;
        this.api = RestClients.build(api, baseUrl, CONNECT_TIMEOUT, READ_TIMEOUT);
        this.json = json;
    }

    /**
     * The JSON body of a 200 to {@code call}. A 404 becomes {@code notFound}, a 401/403 a 403 naming {@code what},
     * no answer or anything else unexpected a 503.
     */
    public Uni<JsonNode> get(Function<A, Uni<Response>> call, String what,
            Supplier<? extends RuntimeException> notFound) {
        return Uni.createFrom().deferred(() -> call.apply(api))
                .onFailure().transform(e -> new DependencyUnavailableException(service + " is not reachable."))
                .map(response -> switch (response.getStatus()) {
                    case 200 -> {
                        try {
                            yield json.readTree(response.readEntity(String.class));
                        } catch (Exception e) {
                            throw new DependencyUnavailableException(service + " answered unreadable JSON.");
                        }
                    }
                    case 404 -> throw notFound.get();
                    case 401, 403 -> throw new PermissionDeniedException("You may not read " + what + ".");
                    default -> throw new DependencyUnavailableException(service + " answered "
                            + response.getStatus() + " for " + what + ".");
                });
    }
}
