package io.dmlp.inference.service;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.inference.config.InferenceConfig;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.lakehouse.ObjectStore;
import io.dmlp.lakehouse.S3Location;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * ONNX Runtime sessions of the models' graphs ({@code model.onnx}), loaded from the bucket once and kept per train id
 * and preprocess id, at most {@link InferenceConfig#sessionCacheSize()} of them, each with the queue its real-time
 * calls are batched through. A session that leaves the cache is closed a little later, so a prediction still running
 * on it finishes.
 */
@ApplicationScoped
public class OnnxSessions {

    public static final String GRAPH = "model.onnx";
    private static final Logger LOG = Logger.getLogger(OnnxSessions.class);
    private static final long CLOSE_AFTER_SECONDS = 30;

    /** The cache key: a model as one preprocess record feeds it. */
    record Key(long trainId, long preprocessId, String artifacts) {
    }

    /** A model ready to answer: its session, and the queue that batches the calls reaching it together. */
    public record LoadedModel(OrtSession session, ScoringQueue<FeatureMapper.Row, RealtimePredictions.Answer> calls) {
    }

    private final ObjectStore store;
    private final GraphScoring scoring;
    private final int maxBatch;
    private final OrtSession.SessionOptions options;
    private final Cache<Key, LoadedModel> cache;
    private final ExecutorService warming = Executors.newSingleThreadExecutor(daemon("onnx-warm"));
    private final ScheduledExecutorService closing = Executors.newSingleThreadScheduledExecutor(daemon("onnx-close"));

    public OnnxSessions(ObjectStore store, GraphScoring scoring, InferenceConfig config) throws OrtException {
        this.store = store;
        this.scoring = scoring;
        this.maxBatch = config.maxBatchRows();
        this.options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(config.intraOpThreads());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        this.cache = Caffeine.newBuilder().maximumSize(config.sessionCacheSize())
                .removalListener((Key key, LoadedModel loaded, RemovalCause cause) -> {
                    if (loaded != null && !closing.isShutdown()) {
                        closing.schedule(() -> close(key, loaded.session()), CLOSE_AFTER_SECONDS, TimeUnit.SECONDS);
                    } else if (loaded != null) {
                        close(key, loaded.session()); // shutting down: nothing runs on it any more
                    }
                })
                .build();
    }

    /** The model ready to answer, loading its session on a miss (blocking: call it from a worker thread then). */
    public LoadedModel load(DeployedModel model) {
        return cache.get(key(model), key -> load(key, model));
    }

    /** The model if its session is loaded, else null: the event loop's fast path. */
    public LoadedModel loaded(DeployedModel model) {
        return cache.getIfPresent(key(model));
    }

    /** Loads the model's session in the background, so its first prediction does not wait for it. */
    public void warm(DeployedModel model) {
        if (!model.forecaster()) {
            warming.execute(() -> {
                try {
                    load(model);
                } catch (RuntimeException e) {
                    LOG.warnf("Model %d could not be loaded ahead of its first prediction: %s", model.trainId(),
                            e.getMessage());
                }
            });
        }
    }

    public void evict(DeployedModel model) {
        cache.invalidate(key(model));
    }

    private LoadedModel load(Key key, DeployedModel model) {
        try (InputStream graph = store.get(S3Location.parse(key.artifacts() + GRAPH).key())) {
            OrtSession session = scoring.environment().createSession(graph.readAllBytes(), options);
            return new LoadedModel(session, new ScoringQueue<>(rows -> scoring.score(model, session, rows), maxBatch));
        } catch (IOException | OrtException e) {
            throw new DependencyUnavailableException("Model " + key.trainId() + " could not be loaded: "
                    + e.getClass().getSimpleName());
        }
    }

    private static Key key(DeployedModel model) {
        return new Key(model.trainId(), model.preprocessId(), model.artifacts());
    }

    private static void close(Key key, OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warnf("The session of model %d did not close cleanly: %s", key.trainId(), e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @PreDestroy
    void stop() {
        warming.shutdownNow();
        closing.shutdownNow();
        cache.invalidateAll();
    }
}
