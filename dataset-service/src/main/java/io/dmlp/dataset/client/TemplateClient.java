package io.dmlp.dataset.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.client.ServiceClient;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** Reads a template from catalog-service with the caller's own token. */
@ApplicationScoped
public class TemplateClient {

    /** A template at its current version, as catalog-service answers it. */
    public record TemplateVersion(long id, int version, String name, JsonNode columns) {
    }

    private final ServiceClient<CatalogApi> catalog;

    public TemplateClient(@ConfigProperty(name = "dmlp.catalog.url") String catalogUrl, ObjectMapper json) {
        this.catalog = new ServiceClient<>("catalog-service", catalogUrl, CatalogApi.class, json);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            failOn = DependencyUnavailableException.class)
    public Uni<TemplateVersion> current(long templateId, String authorization) {
        return catalog.get(api -> api.template(templateId, authorization), "template " + templateId,
                () -> new UnprocessableEntityException("Template " + templateId + " does not exist."))
                .map(body -> new TemplateVersion(templateId, body.path("version").asInt(),
                        body.path("template_name").asText(), body.path("template_schema")));
    }
}
