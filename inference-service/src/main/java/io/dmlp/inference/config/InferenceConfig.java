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

    /**
     * The most real-time calls of one model answered by one ONNX Runtime run: calls that arrive while the model is
     * busy wait for the next run and share it.
     */
    @WithDefault("32")
    int maxBatchRows();

    /** The prediction log of real-time calls: how the rows are written, away from the calls. */
    PredictionLog predictionLog();

    /** training-service, where the models are rebuilt from on start. */
    Training training();

    /** How long a Ray job's presigned URLs stay valid. */
    @WithDefault("6h")
    Duration urlValidity();

    /** The key prefix of batch and forecast job outputs in the platform's bucket: {@code <prefix>/<tenant>/<prediction id>/}. */
    @WithDefault("predictions")
    String resultPrefix();

    /** Forecasts: how far ahead one may ask, and how long a request waits for a forecast job. */
    Forecast forecast();

    interface Forecast {

        /** The most points one request may ask for. */
        @WithDefault("1000")
        int maxSteps();

        /** How long a request waits for its Ray job before answering 504 (the job goes on). */
        @WithDefault("60s")
        Duration waitFor();

        /**
         * While waiting, how often the job is re-read from the database: its callback may land on another instance,
         * or the reconciler may end it; the callback on this instance ends the wait at once.
         */
        @WithDefault("3s")
        Duration recheckEvery();

        /** Stored forecasts (forecast.json) kept in memory, per train id. */
        @WithDefault("256")
        int cacheSize();
    }

    interface PredictionLog {

        /** Rows waiting to be written; beyond it the oldest are dropped and counted (a call never waits). */
        @WithDefault("20000")
        int capacity();

        /** At most this many rows per insert. */
        @WithDefault("500")
        int batchSize();

        /** How often waiting rows are written: Quarkus's scheduler runs nothing more often than once a second. */
        @WithDefault("1s")
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
