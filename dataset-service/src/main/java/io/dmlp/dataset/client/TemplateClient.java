package io.dmlp.dataset.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Reads a template from catalog-service with the caller's own token, so the caller's tenant and permissions
 * apply: another tenant's template is as absent as a missing one.
 */
@ApplicationScoped
public class TemplateClient {

    /** A template at its current version, as catalog-service answers it. */
    public record TemplateVersion(long id, int version, String name, JsonNode columns) {
    }

    private final String catalogUrl;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public TemplateClient(@ConfigProperty(name = "dmlp.catalog.url") String catalogUrl, ObjectMapper json) {
        this.catalogUrl = catalogUrl;
        this.json = json;
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            failOn = DependencyUnavailableException.class)
    public Uni<TemplateVersion> current(long templateId, String authorization) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(catalogUrl + "/api/v1/template/" + templateId))
                .timeout(Duration.ofSeconds(5)).header("Authorization", authorization).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> new DependencyUnavailableException("catalog-service is not reachable."))
                .map(response -> {
                    if (response.statusCode() == 404) {
                        throw new UnprocessableEntityException("Template " + templateId + " does not exist.");
                    }
                    if (response.statusCode() == 401 || response.statusCode() == 403) {
                        throw new PermissionDeniedException("You may not read template " + templateId + ".");
                    }
                    if (response.statusCode() != 200) {
                        throw new DependencyUnavailableException("catalog-service answered " + response.statusCode()
                                + " for template " + templateId + ".");
                    }
                    try {
                        JsonNode body = json.readTree(response.body());
                        return new TemplateVersion(templateId, body.path("version").asInt(),
                                body.path("template_name").asText(), body.path("template_schema"));
                    } catch (Exception e) {
                        throw new DependencyUnavailableException("catalog-service answered unreadable JSON.");
                    }
                });
    }
}
