package io.dmlp.inference.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.schema.DataType;
import java.time.Instant;
import java.time.LocalDate;
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

    /**
     * An input column: its type, and what it takes when a request leaves it out: the template's default as text,
     * or the value the training pipeline imputes, in the graph's terms (a float: Boolean 0/1, dates as days since
     * 1970), shown as its type writes it; both null when the graph's own imputer decides (or a String is empty).
     */
    public record Feature(String name, DataType type, String defaultValue, Float imputed) {

        public Feature(String name, DataType type, String defaultValue) {
            this(name, type, defaultValue, null);
        }
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
                List.copyOf(features), target, List.copyOf(idColumns),
                model.path("labels").isArray() ? model.get("labels") : null,
                model.path("metrics"));
    }

    private static Feature feature(JsonNode column) {
        DataType type = DataType.of(column.path("data_type").asText(null)).orElse(null);
        if (type == null || !column.path("column_name").isTextual()) {
            return null;
        }
        JsonNode fallback = column.path("default_value");
        String name = column.get("column_name").asText();
        if (fallback.isNumber() && type != DataType.STRING) {
            return new Feature(name, type, shown(type, fallback.asDouble()), fallback.floatValue());
        }
        return new Feature(name, type, fallback.isTextual() ? fallback.asText() : null, null);
    }

    /** An imputed value as a client writes one of its type: {@code true}, {@code 2024-05-01}, {@code 24}. */
    private static String shown(DataType type, double value) {
        return switch (type) {
            case BOOLEAN -> Boolean.toString(value >= 0.5);
            case DATE -> LocalDate.ofEpochDay(Math.round(value)).toString();
            case DATETIME -> Instant.ofEpochMilli(Math.round(value * 86_400_000d)).toString();
            case INTEGER -> value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
            default -> Double.toString(value);
        };
    }
}
