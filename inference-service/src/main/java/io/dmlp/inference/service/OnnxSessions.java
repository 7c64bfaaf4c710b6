package io.dmlp.inference.service;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
 * and preprocess id, at most {@link InferenceConfig#sessionCacheSize()} of them. A session that leaves the cache is
 * closed a little later, so a prediction still running on it finishes.
 */
@ApplicationScoped
public class OnnxSessions {

    public static final String GRAPH = "model.onnx";
    private static final Logger LOG = Logger.getLogger(OnnxSessions.class);
    private static final long CLOSE_AFTER_SECONDS = 30;

    /** The cache key: a model as one preprocess record feeds it. */
    record Key(long trainId, long preprocessId, String artifacts) {
    }

    private final ObjectStore store;
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options;
    private final LoadingCache<Key, OrtSession> cache;
    private final ExecutorService warming = Executors.newSingleThreadExecutor(daemon("onnx-warm"));
    private final ScheduledExecutorService closing = Executors.newSingleThreadScheduledExecutor(daemon("onnx-close"));

    public OnnxSessions(ObjectStore store, InferenceConfig config) throws OrtException {
        this.store = store;
        this.options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(config.intraOpThreads());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        this.cache = Caffeine.newBuilder().maximumSize(config.sessionCacheSize())
                .removalListener((Key key, OrtSession session, RemovalCause cause) -> {
                    if (session != null) {
                        closing.schedule(() -> close(key, session), CLOSE_AFTER_SECONDS, TimeUnit.SECONDS);
                    }
                })
                .build(this::load);
    }

    /** The model's session, loading it on a miss (blocking: call it from a worker thread then). */
    public OrtSession session(DeployedModel model) {
        return cache.get(key(model));
    }

    /** The model's session if it is loaded, else null: the event loop's fast path. */
    public OrtSession loaded(DeployedModel model) {
        return cache.getIfPresent(key(model));
    }

    /** Loads the model's session in the background, so its first prediction does not wait for it. */
    public void warm(DeployedModel model) {
        if (!model.forecaster()) {
            warming.execute(() -> {
                try {
                    session(model);
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

    public OrtEnvironment environment() {
        return environment;
    }

    private OrtSession load(Key key) {
        try (InputStream graph = store.get(S3Location.parse(key.artifacts() + GRAPH).key())) {
            return environment.createSession(graph.readAllBytes(), options);
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
