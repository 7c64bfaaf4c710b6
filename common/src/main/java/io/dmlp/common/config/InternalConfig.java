package io.dmlp.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The credential one DMLP service presents to another's internal endpoints ({@code /internal/...}), which the
 * gateway never routes: for reads no user is behind, such as inference-service rebuilding its models from
 * training-service on start.
 */
@ConfigMapping(prefix = "dmlp.internal")
public interface InternalConfig {

    /** Shared by the services of one deployment; {@link ProductionGuard} refuses the local default. */
    @WithDefault(DevDefaults.INTERNAL_TOKEN)
    String token();
}
