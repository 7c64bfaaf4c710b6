package io.dmlp.inference.service;

import io.dmlp.inference.event.InferenceEvents;
import io.dmlp.inference.repository.PredictionRepository;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.service.JobOwner;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The owner of one kind of prediction job (batch prediction, forecast), whose job id is the prediction's: its events
 * go to inference's topic as {@code io.dmlp.inference.<eventPrefix><status>.v1} and start with
 * {@link #predictionFields the prediction they are about}.
 */
public interface PredictionJobOwner extends JobOwner {

    @Override
    default String topic() {
        return InferenceEvents.TOPIC;
    }

    @Override
    default String domain() {
        return InferenceEvents.DOMAIN;
    }

    /**
     * What every event of a prediction job tells: {@code prediction_id}, and once the prediction is found
     * {@code train_id}, {@code predictor_name}, {@code dataset_id} and {@code result_path} (its {@code s3://} output).
     * A mutable map, for the owner's own fields after these.
     */
    static Uni<Map<String, Object>> predictionFields(PredictionRepository predictions, RayJob job) {
        long predictionId = Long.parseLong(job.ownerId);
        return predictions.findById(predictionId).map(prediction -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("prediction_id", predictionId);
            if (prediction != null) {
                data.put("train_id", prediction.trainId);
                data.put("predictor_name", prediction.predictorName);
                data.put("dataset_id", prediction.datasetId);
                data.put("result_path", prediction.resultPath);
            }
            return data;
        });
    }
}
