package io.dmlp.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The Ray cluster's dashboard / Job Submission API. */
@ConfigMapping(prefix = "dmlp.ray")
public interface RayConfig {

    /** Build-time switch: services that run Ray jobs set it, which gives them {@code RayJobClient}. */
    @WithDefault("false")
    boolean enabled();

    /** Base URL of the dashboard, e.g. {@code http://127.0.0.1:8265}. */
    @WithDefault("http://127.0.0.1:8265")
    String url();

    /**
     * File holding Ray's authentication token (sent as {@code Authorization: Bearer}); absent when the
     * cluster runs without token authentication. A file, not a property, so the token stays out of
     * the environment and the logs.
     */
    Optional<String> tokenFile();

    /** Timeout of one call to the Job API. */
    @WithDefault("10s")
    Duration timeout();
}
