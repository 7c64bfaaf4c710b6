package io.dmlp.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Reads a dataset's schema from dataset-service with the caller's own token, so another tenant's dataset is a 404
 * (templates made from a dataset, training's column roles and checks). Switched on with {@code dmlp.dataset-client.enabled=true}
 * in the services that use it, which also set {@code dmlp.dataset.url}.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.dataset-client.enabled", stringValue = "true")
public class DatasetClient {

    /**
     * A dataset's name, the columns its files were validated against (a template's, or inferred), its usage
     * ({@code t} training, {@code p} prediction), whether any of its files has valid rows, and its silver table.
     */
    public record DatasetSchema(long id, String name, JsonNode columns, String usage, boolean valid,
            String icebergTableName, String dataSource) {
    }

    private final ServiceClient<DatasetApi> datasets;

    public DatasetClient(@ConfigProperty(name = "dmlp.dataset.url") String datasetUrl, ObjectMapper json) {
        this.datasets = new ServiceClient<>("dataset-service", datasetUrl, DatasetApi.class, json);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            failOn = DependencyUnavailableException.class)
    public Uni<DatasetSchema> schema(long datasetId, String authorization) {
        return datasets.get(api -> api.dataset(datasetId, authorization), "dataset " + datasetId,
                () -> new ResourceNotFoundException("Dataset " + datasetId + " not found."))
                .map(body -> new DatasetSchema(datasetId, body.path("dataset_name").asText(),
                        body.path("dataset_schema"), body.path("usage").asText(), body.path("is_valid").asBoolean(),
                        body.path("iceberg_table_name").asText(), body.path("data_source").asText()));
    }
}
