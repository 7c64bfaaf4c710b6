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

    /**
     * Largest request body outside the upload paths, counted on the bytes actually received: a body that
     * streams past it is cut off with 413, whatever its Content-Length or Transfer-Encoding said.
     */
    @WithDefault("10M")
    MemorySize maxBodySize();

    /**
     * Largest upload body, counted like {@link #maxBodySize()}. {@code quarkus.http.limits.max-body-size} must be
     * at least this: the HTTP server applies it to the gateway's own endpoints.
     */
    @WithDefault("2G")
    MemorySize maxUploadSize();

    /** Paths (exact, without query) that take uploads and get {@link #maxUploadSize()}. */
    @WithDefault("/api/v1/dataset/upload,/api/v1/files/add")
    List<String> uploadPaths();

    /**
     * Paths the gateway never routes (404), with everything below them: Ray's result callbacks, which Ray
     * posts straight to the owning service on the internal network.
     */
    @WithDefault("/api/v1/dataset/statistics/result,/api/v1/train/result,/api/v1/train/shap-result,"
            + "/api/v1/inference/batch-result,/api/v1/inference/forecast-result")
    List<String> internalPaths();

    /** The per-client limit on the paths that check a password or a refresh token. */
    LoginLimit loginLimit();

    /** How long the aggregated health check waits for each service's readiness. */
    @WithDefault("5s")
    Duration healthTimeout();

    /**
     * How often the gateway asks every service for its readiness. {@code GET /api/v1/utils/health-check/}
     * answers from the last answers, so its callers cost the services nothing; a change shows after at most
     * this interval plus {@link #healthTimeout()}.
     */
    @WithDefault("2s")
    Duration healthRefreshInterval();

    /** How long the gateway waits to connect to a service before answering 502. */
    @WithDefault("3s")
    Duration connectTimeout();

    interface Upstream {

        /** Base URL of the service's API, e.g. {@code http://127.0.0.1:8101}. */
        URI url();

        /**
         * Base URL of the service's management interface (readiness), e.g. {@code http://127.0.0.1:9101}.
         * Never routed: the gateway only reads {@code /q/health/ready} there.
         */
        URI managementUrl();

        /**
         * Path prefixes this service owns, matched on whole segments: {@code /api/v1/train} takes
         * {@code /api/v1/train/list} but not {@code /api/v1/trainer}.
         */
        List<String> prefixes();
    }

    /**
     * A token bucket per client address (the TCP peer the gateway sees): {@link #burst()} requests at once,
     * then {@link #requests()} per {@link #period()}. Past it: 429 with {@code Retry-After}. It bounds password
     * guessing and bcrypt work per client before auth-service's per-account lockout is reached.
     */
    interface LoginLimit {

        /** Paths limited (exact, without query or trailing slash). */
        @WithDefault("/api/v1/login/access-token,/api/v1/refresh,/api/v1/reset-password")
        List<String> paths();

        /** Requests a client gets back per {@link #period()}. */
        @WithDefault("10")
        int requests();

        /** The period over which {@link #requests()} refill. */
        @WithDefault("1m")
        Duration period();

        /** Requests a client may make at once after being idle. */
        @WithDefault("10")
        int burst();

        /**
         * Most clients remembered; the least recently seen is forgotten first, and a client idle long enough
         * to have a full bucket again is forgotten anyway, so memory stays bounded under any address spread.
         */
        @WithDefault("100000")
        int maxClients();
    }
}
