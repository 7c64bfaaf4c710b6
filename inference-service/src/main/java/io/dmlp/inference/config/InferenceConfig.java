package io.dmlp.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** inference-service's settings. */
@ConfigMapping(prefix = "dmlp.inference")
public interface InferenceConfig {

    /** Loaded ONNX Runtime sessions kept (per train id and preprocess id); the least recently used one goes. */
    @WithDefault("64")
    int sessionCacheSize();

    /** ONNX Runtime threads per prediction: one row is too small to split, and the cores serve concurrent calls. */
    @WithDefault("1")
    int intraOpThreads();

    /** The prediction log of real-time calls: how the rows are written, away from the calls. */
    PredictionLog predictionLog();

    /** training-service, where the models are rebuilt from on start. */
    Training training();

    /** How long a Ray job's presigned URLs stay valid. */
    @WithDefault("6h")
    Duration urlValidity();

    interface PredictionLog {

        /** Rows waiting to be written; beyond it the oldest are dropped and counted (a call never waits). */
        @WithDefault("20000")
        int capacity();

        /** At most this many rows per insert. */
        @WithDefault("500")
        int batchSize();

        /** How often waiting rows are written. */
        @WithDefault("250ms")
        Duration flushEvery();
    }

    interface Training {

        /** Base URL of training-service. */
        String url();

        /** Models per page of the internal list. */
        @WithDefault("500")
        int pageSize();

        /** Wait between attempts while training-service cannot be reached on start. */
        @WithDefault("2s")
        Duration retryEvery();
    }
}
