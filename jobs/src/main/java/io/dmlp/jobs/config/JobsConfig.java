package io.dmlp.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The lifecycle of Ray jobs ({@link io.dmlp.jobs.service.JobLifecycle}). */
@ConfigMapping(prefix = "dmlp.jobs")
public interface JobsConfig {

    /** How often every unfinished job is compared with what Ray says about it. */
    @WithDefault("20s")
    Duration reconcileEvery();

    /**
     * How long a job Ray reports ended gets for its callback to arrive before it is failed; also how long a
     * just-recorded job may be unknown to Ray (its submit may still be on the way).
     */
    @WithDefault("30s")
    Duration callbackGrace();

    /** A job whose Ray has not answered about it for this long is failed: it cannot be followed any more. */
    @WithDefault("30m")
    Duration unreachableDeadline();
}
