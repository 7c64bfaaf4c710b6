package io.dmlp.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Statistics jobs on Ray. */
@ConfigMapping(prefix = "dmlp.statistics")
public interface StatisticsConfig {

    /**
     * How long the presigned read URLs a job gets for its data files stay valid. A job holds no store keys,
     * only these URLs, so this bounds how long a leaked job environment can read anything: long enough for the
     * job to wait for a worker and download its files.
     */
    @WithDefault("1h")
    Duration fileUrlValidity();
}
