package io.dmlp.inference.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.inference.domain.DeployedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /inference/}: one row through the model's ONNX graph, inside this JVM. The model comes from the
 * in-memory read model and its session from the cache; only a session not loaded yet makes the call wait for the
 * bucket (on a worker thread). Calls that reach a model together share a session run ({@link ScoringQueue}). The
 * call is logged after it is answered ({@link PredictionLog}).
 */
@ApplicationScoped
public class RealtimePredictions {

    /** The guide's body. {@code target} may be left out; given, it must be the model's. */
    public record Request(Long trainId, Long preprocessId, JsonNode features, String target) {
    }

    /** The guide's answer, with each class's probability for a classifier. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(JsonNode prediction, Double accuracy, Map<String, Double> probabilities) {
    }

    private final DeployedModels models;
    private final OnnxSessions sessions;
    private final PredictionLog log;
    /** Where a call's time goes inside the service, for operators and the benchmark ({@code /q/metrics}). */
    private final Timer mapping;

    public RealtimePredictions(DeployedModels models, OnnxSessions sessions, PredictionLog log, MeterRegistry meters) {
        this.models = models;
        this.sessions = sessions;
        this.log = log;
        this.mapping = stage(meters, "mapping", "a call's features checked and converted to the graph's types");
    }

    static Timer stage(MeterRegistry meters, String name, String what) {
        return Timer.builder("dmlp.inference.realtime.stage").tag("stage", name).description(what).register(meters);
    }

    public Uni<Answer> predict(Caller caller, Request request) {
        caller.require(Permission.RUN_INFERENCE);
        DeployedModel model = checked(caller, request);
        long started = System.nanoTime();
        FeatureMapper.Row row = FeatureMapper.row(model, request.features());
        mapping.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        OnnxSessions.LoadedModel loaded = sessions.loaded(model);
        Uni<OnnxSessions.LoadedModel> ready = loaded != null ? Uni.createFrom().item(loaded)
                : Uni.createFrom().item(() -> sessions.load(model)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return ready.chain(graph -> graph.calls().submit(row)).invoke(answer -> log.record(
                model, request.features(), answer, caller.username(), OffsetDateTime.now(ZoneOffset.UTC)));
    }

    private DeployedModel checked(Caller caller, Request request) {
        if (request == null || request.trainId() == null) {
            throw new UnprocessableEntityException("'train_id' is required.");
        }
        if (request.preprocessId() == null) {
            throw new UnprocessableEntityException("'preprocess_id' is required.");
        }
        if (request.features() == null || !request.features().isObject()) {
            throw new UnprocessableEntityException("'features' must be an object of feature names and values.");
        }
        DeployedModel model = models.visible(caller, request.trainId());
        if (model.forecaster()) {
            throw new UnprocessableEntityException("'train_id': model " + model.trainId()
                    + " forecasts a time series; ask /api/v1/inference/forecast.");
        }
        if (request.preprocessId() != model.preprocessId()) {
            throw new UnprocessableEntityException("'preprocess_id': model " + model.trainId()
                    + " uses preprocess record " + model.preprocessId() + ", not " + request.preprocessId() + ".");
        }
        if (request.target() != null && model.target() != null
                && !Objects.equals(request.target(), model.target().name())) {
            throw new UnprocessableEntityException("'target': model " + model.trainId() + " predicts '"
                    + model.target().name() + "', not '" + request.target() + "'.");
        }
        return model;
    }
}
