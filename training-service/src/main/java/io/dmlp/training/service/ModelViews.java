package io.dmlp.training.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmlp.training.domain.Preprocess;
import io.dmlp.training.domain.ProblemType;
import io.dmlp.training.domain.TrainingRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a completed run's stored result says about its model, as the API and the events show it. */
@ApplicationScoped
public class ModelViews {

    /** The headline metrics of each problem type, as {@code model-summary} names them. */
    private static final Map<ProblemType, Map<String, String>> SUMMARY = Map.of(
            ProblemType.Classification, orderedOf("accuracy", "accuracy", "precision", "precision", "recall", "recall",
                    "f1_score", "f1", "roc_auc", "roc_auc"),
            ProblemType.Regression, orderedOf("rmse", "rmse", "mae", "mae", "r2", "r2"),
            ProblemType.Forecast, orderedOf("mape", "mape", "smape", "smape", "mase", "mase", "mae", "mae"));

    private final ObjectMapper json;

    public ModelViews(ObjectMapper json) {
        this.json = json;
    }

    /**
     * What inference needs to load the model: the algorithm fitted, where its artifacts are, its input schema (graph
     * order), its target and class labels, the Id columns a batch result carries, and its headline metrics.
     */
    public Map<String, Object> model(TrainingRun run, JsonNode result, Preprocess preprocess) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("algorithm", result.path("algorithm").asText());
        model.put("artifacts", run.artifacts);
        model.put("files", result.path("artifacts"));
        model.put("schema", result.path("schema"));
        // a forecast's result names no target: its preprocess record does
        model.put("target", result.has("target") || preprocess == null ? result.path("target")
                : read(preprocess.target));
        model.put("id_columns", idColumns(preprocess));
        JsonNode labels = result.path("metrics").path("labels");
        if (labels.isArray()) {
            model.put("labels", labels);
        }
        model.put("metrics", summary(run.problemType, result));
        return model;
    }

    /** The columns the run's preprocess record gives the Id role (none without a record). */
    private List<String> idColumns(Preprocess preprocess) {
        return preprocess == null ? List.of() : readList(preprocess.columns, JsonNode.class).stream()
                .filter(column -> "Id".equals(column.path("attribute_name").asText()))
                .map(column -> column.path("column_name").asText()).toList();
    }

    /** The problem type's headline metrics, named as {@code model-summary} names them. */
    public ObjectNode summary(ProblemType problem, JsonNode result) {
        ObjectNode summary = json.createObjectNode();
        SUMMARY.get(problem).forEach((name, key) -> summary.set(name, result.path("metrics").path(key)
                .isMissingNode() ? json.nullNode() : result.path("metrics").get(key)));
        return summary;
    }

    /** The accuracy a list shows: a classifier's hold-out accuracy, null for other problem types. */
    public Double accuracy(ProblemType problem, JsonNode result) {
        JsonNode accuracy = result == null ? null : result.path("metrics").path("accuracy");
        return problem == ProblemType.Classification && accuracy != null && accuracy.isNumber()
                ? accuracy.asDouble() : null;
    }

    public JsonNode read(String stored) {
        try {
            return stored == null ? null : json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public <T> List<T> readList(String stored, Class<T> type) {
        try {
            return json.readerForListOf(type).readValue(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    private static Map<String, String> orderedOf(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
