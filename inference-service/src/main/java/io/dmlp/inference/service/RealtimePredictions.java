package io.dmlp.inference.service;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /inference/}: one row through the model's ONNX graph, inside this JVM. The model comes from the
 * in-memory read model and its session from the cache; only a session not loaded yet makes the call wait for the
 * bucket (on a worker thread). The call is logged after it is answered ({@link PredictionLog}).
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
    private final Timer scoring;

    public RealtimePredictions(DeployedModels models, OnnxSessions sessions, PredictionLog log, MeterRegistry meters) {
        this.models = models;
        this.sessions = sessions;
        this.log = log;
        this.mapping = stage(meters, "mapping", "features to the graph's input tensors");
        this.scoring = stage(meters, "onnx", "the ONNX Runtime session's run and reading its outputs");
    }

    private static Timer stage(MeterRegistry meters, String name, String what) {
        return Timer.builder("dmlp.inference.realtime.stage").tag("stage", name).description(what).register(meters);
    }

    public Uni<Answer> predict(Caller caller, Request request) {
        caller.require(Permission.RUN_INFERENCE);
        DeployedModel model = checked(caller, request);
        OrtSession session = sessions.loaded(model);
        if (session != null) {
            return Uni.createFrom().item(answered(caller, model, session, request.features()));
        }
        return Uni.createFrom().item(() -> answered(caller, model, sessions.session(model), request.features()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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

    private Answer answered(Caller caller, DeployedModel model, OrtSession session, JsonNode features) {
        Answer answer = run(model, session, features);
        log.record(new PredictionLog.Call(model, features, answer, caller.username(),
                OffsetDateTime.now(ZoneOffset.UTC)));
        return answer;
    }

    private Answer run(DeployedModel model, OrtSession session, JsonNode features) {
        Map<String, OnnxTensor> inputs = null;
        try {
            long started = System.nanoTime();
            inputs = FeatureMapper.inputs(sessions.environment(), model, features);
            long mapped = System.nanoTime();
            mapping.record(mapped - started, TimeUnit.NANOSECONDS);
            try (OrtSession.Result result = session.run(inputs)) {
                Answer answer = answer(model, result);
                scoring.record(System.nanoTime() - mapped, TimeUnit.NANOSECONDS);
                return answer;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Model " + model.trainId() + " could not predict", e);
        } finally {
            if (inputs != null) {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static Answer answer(DeployedModel model, OrtSession.Result result) throws OrtException {
        if (!model.classifier()) {
            float[][] value = (float[][]) result.get("variable").orElseThrow().getValue();
            return new Answer(DoubleNode.valueOf(shown(value[0][0])), null, null);
        }
        long label = ((long[]) result.get("label").orElseThrow().getValue())[0];
        float[] probabilities = ((float[][]) result.get("probabilities").orElseThrow().getValue())[0];
        Map<String, Double> byClass = new LinkedHashMap<>();
        for (int k = 0; k < probabilities.length; k++) {
            byClass.put(model.labels().get(k).asText(), shown(probabilities[k]));
        }
        return new Answer(model.labels().get((int) label), model.accuracy(), byClass);
    }

    /** A float32 output as the shortest decimal that reads back to it (0.8, not 0.800000011920929). */
    private static double shown(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
