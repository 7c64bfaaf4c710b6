package io.dmlp.inference.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.client.ServiceClient;
import io.dmlp.common.config.InternalConfig;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.inference.config.InferenceConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** training-service's internal model list ({@code /internal/v1/models}), with the service credential. */
@ApplicationScoped
public class TrainingClient {

    private final ServiceClient<TrainingApi> training;
    private final String credential;

    public TrainingClient(InferenceConfig config, InternalConfig internal, ObjectMapper json) {
        this.training = new ServiceClient<>("training-service", config.training().url(), TrainingApi.class, json);
        this.credential = internal.token();
    }

    /** A page of completed models after train id {@code after}: {@code {data: [...], next_after}}. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000,
            failOn = DependencyUnavailableException.class)
    public Uni<JsonNode> models(long after, int limit) {
        return training.get(api -> api.models(after, limit, credential), "the model list",
                () -> new DependencyUnavailableException("training-service has no internal model list."));
    }
}
