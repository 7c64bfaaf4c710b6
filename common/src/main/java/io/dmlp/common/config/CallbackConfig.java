package io.dmlp.common.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** Where Ray jobs post their results back to this service. */
@ConfigMapping(prefix = "dmlp.callback")
public interface CallbackConfig {

    /**
     * Base URL of this service as Ray's workers reach it, e.g. {@code http://dataset-service:8080} in Kubernetes.
     * Unset: {@code http://127.0.0.1:<the port this service listens on>} (Ray on the same machine).
     */
    Optional<String> baseUrl();

    /** The URL of {@code path} on this service, for a job's callback. */
    default String url(String path) {
        return baseUrl().orElseGet(() -> "http://127.0.0.1:" + listeningPort()) + path;
    }

    /** Quarkus records the port it actually bound (also a random test port) in this system property. */
    private static String listeningPort() {
        return System.getProperty("quarkus.http.port",
                ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", String.class).orElse("8080"));
    }
}
