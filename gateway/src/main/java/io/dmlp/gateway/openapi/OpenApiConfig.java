package io.dmlp.gateway.openapi;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The platform's one OpenAPI document, served by the gateway at {@code /q/openapi}. */
@ConfigMapping(prefix = "dmlp.gateway.openapi")
public interface OpenApiConfig {

    /**
     * How long a merged document is served before the services are asked again. A document missing a service
     * is never kept: the next request asks again.
     */
    @WithDefault("60s")
    Duration cacheTtl();

    /** How long the gateway waits for each service's document. */
    @WithDefault("5s")
    Duration fetchTimeout();
}
