package io.dmlp.training.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Training runs and their SHAP jobs. */
@ConfigMapping(prefix = "dmlp.training")
public interface TrainingConfig {

    /**
     * How long a job's presigned URLs (the snapshot's data files, its artifacts) stay valid: longer than any run
     * should take, short enough that a leaked URL soon stops working.
     */
    @WithDefault("6h")
    Duration urlValidity();

    /** The key prefix of model artifacts in the platform's bucket: {@code <prefix>/<tenant>/<train id>/}. */
    @WithDefault("models")
    String artifactPrefix();

    /** The seed of every run's split and model, so that a run can be repeated exactly. */
    @WithDefault("7")
    int seed();

    /** Rows of the training data a SHAP job explains (a seeded sample). */
    @WithDefault("500")
    int shapSampleRows();
}
