package io.dmlp.inference.service;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.DoubleNode;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.service.RealtimePredictions.Answer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rows of one model through its ONNX graph in one session run, and the answers read from the outputs: the label and
 * class probabilities of a classifier, the value of a regressor.
 */
@ApplicationScoped
public class GraphScoring {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    /** Where a batch's time goes, for operators and the benchmark ({@code /q/metrics}). */
    private final Timer tensors;
    private final Timer scoring;
    private final DistributionSummary batchRows;

    public GraphScoring(MeterRegistry meters) {
        this.tensors = RealtimePredictions.stage(meters, "tensors", "a batch's rows to the graph's input tensors");
        this.scoring = RealtimePredictions.stage(meters, "onnx", "a batch's ONNX Runtime run and reading its outputs");
        this.batchRows = DistributionSummary.builder("dmlp.inference.realtime.batch.rows")
                .description("Real-time calls answered by one session run").register(meters);
    }

    OrtEnvironment environment() {
        return environment;
    }

    List<Answer> score(DeployedModel model, OrtSession session, List<FeatureMapper.Row> rows) {
        Map<String, OnnxTensor> inputs = null;
        try {
            long started = System.nanoTime();
            inputs = FeatureMapper.inputs(environment, model, rows);
            long built = System.nanoTime();
            tensors.record(built - started, TimeUnit.NANOSECONDS);
            try (OrtSession.Result result = session.run(inputs)) {
                List<Answer> answers = answers(model, result, rows.size());
                scoring.record(System.nanoTime() - built, TimeUnit.NANOSECONDS);
                batchRows.record(rows.size());
                return answers;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Model " + model.trainId() + " could not predict", e);
        } finally {
            if (inputs != null) {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static List<Answer> answers(DeployedModel model, OrtSession.Result result, int rows)
            throws OrtException {
        List<Answer> answers = new ArrayList<>(rows);
        if (!model.classifier()) {
            float[][] values = (float[][]) result.get("variable").orElseThrow().getValue();
            for (int r = 0; r < rows; r++) {
                answers.add(new Answer(DoubleNode.valueOf(shown(values[r][0])), null, null));
            }
            return answers;
        }
        long[] labels = (long[]) result.get("label").orElseThrow().getValue();
        float[][] probabilities = (float[][]) result.get("probabilities").orElseThrow().getValue();
        for (int r = 0; r < rows; r++) {
            Map<String, Double> byClass = new LinkedHashMap<>();
            for (int k = 0; k < probabilities[r].length; k++) {
                byClass.put(model.labels().get(k).asText(), shown(probabilities[r][k]));
            }
            answers.add(new Answer(model.labels().get((int) labels[r]), model.accuracy(), byClass));
        }
        return answers;
    }

    /** A float32 output as the shortest decimal that reads back to it (0.8, not 0.800000011920929). */
    private static double shown(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
