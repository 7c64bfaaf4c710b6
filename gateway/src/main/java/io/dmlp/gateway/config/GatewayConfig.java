package io.dmlp.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Where each path prefix goes and what the gateway lets through. */
@ConfigMapping(prefix = "dmlp.gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by name (e.g. {@code auth-service}). */
    Map<String, Upstream> services();

    /** Largest request body outside the upload paths. */
    @WithDefault("10M")
    MemorySize maxBodySize();

    /**
     * Largest upload body. Must not exceed {@code quarkus.http.limits.max-body-size}, which the HTTP server
     * applies to every request, chunked ones included.
     */
    @WithDefault("2G")
    MemorySize maxUploadSize();

    /** Paths (exact, without query) that take uploads and get {@link #maxUploadSize()}. */
    @WithDefault("/api/v1/dataset/upload,/api/v1/files/add")
    List<String> uploadPaths();

    /** How long the aggregated health check waits for each service's readiness. */
    @WithDefault("5s")
    Duration healthTimeout();

    /** How long the gateway waits to connect to a service before answering 502. */
    @WithDefault("3s")
    Duration connectTimeout();

    interface Upstream {

        /** Base URL, e.g. {@code http://127.0.0.1:8101}. */
        URI url();

        /**
         * Path prefixes this service owns, matched on whole segments: {@code /api/v1/train} takes
         * {@code /api/v1/train/list} but not {@code /api/v1/trainer}.
         */
        List<String> prefixes();
    }
}
