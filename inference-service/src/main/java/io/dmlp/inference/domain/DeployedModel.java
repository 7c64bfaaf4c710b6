package io.dmlp.inference.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.schema.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A completed model as inference knows it from training-service's events: whose it is, where its artifacts are, its
 * inputs (in the ONNX graph's order), its target, and the Id columns a batch result keeps. {@code preprocessId} is
 * the preprocess record it currently uses.
 */
public record DeployedModel(long trainId, UUID tenantId, String predictorName, String domainName, String problemType,
        String algorithm, long datasetId, long preprocessId, String artifacts, List<String> files,
        List<Feature> features, Feature target, List<String> idColumns, JsonNode labels, JsonNode metrics) {

    /** An input column: its type, and the value it takes when a request leaves it out (null: the imputer's). */
    public record Feature(String name, DataType type, String defaultValue) {
    }

    public boolean classifier() {
        return "Classification".equals(problemType);
    }

    public boolean forecaster() {
        return "Forecast".equals(problemType);
    }

    /** The hold-out accuracy of a classifier; null for other problem types. */
    public Double accuracy() {
        JsonNode accuracy = metrics == null ? null : metrics.path("accuracy");
        return accuracy != null && accuracy.isNumber() ? accuracy.asDouble() : null;
    }

    public DeployedModel withPreprocess(long preprocess) {
        return new DeployedModel(trainId, tenantId, predictorName, domainName, problemType, algorithm, datasetId,
                preprocess, artifacts, files, features, target, idColumns, labels, metrics);
    }

    /**
     * The model a {@code training.completed} event (or a row of training-service's internal list, which has the same
     * fields) describes; null when it has no {@code model} (not completed) or names a type inference does not know.
     */
    public static DeployedModel of(UUID tenantId, JsonNode data) {
        JsonNode model = data.path("model");
        if (!model.isObject() || !data.path("train_id").canConvertToLong()) {
            return null;
        }
        List<Feature> features = new ArrayList<>();
        for (JsonNode column : model.path("schema")) {
            Feature feature = feature(column);
            if (feature == null) {
                return null;
            }
            features.add(feature);
        }
        Feature target = feature(model.path("target"));
        List<String> files = new ArrayList<>();
        model.path("files").forEach(file -> files.add(file.asText()));
        List<String> idColumns = new ArrayList<>();
        model.path("id_columns").forEach(column -> idColumns.add(column.asText()));
        return new DeployedModel(data.path("train_id").asLong(), tenantId, data.path("predictor_name").asText(),
                data.path("domain_name").asText(null), data.path("problem_type").asText(),
                model.path("algorithm").asText(), data.path("dataset_id").asLong(),
                data.path("preprocess_id").asLong(), model.path("artifacts").asText(), List.copyOf(files),
                List.copyOf(features), target, List.copyOf(idColumns), model.path("labels").isArray() ? model.get("labels") : null,
                model.path("metrics"));
    }

    private static Feature feature(JsonNode column) {
        DataType type = DataType.of(column.path("data_type").asText(null)).orElse(null);
        if (type == null || !column.path("column_name").isTextual()) {
            return null;
        }
        JsonNode fallback = column.path("default_value");
        return new Feature(column.get("column_name").asText(), type,
                fallback.isNull() || fallback.isMissingNode() ? null : fallback.asText());
    }
}
