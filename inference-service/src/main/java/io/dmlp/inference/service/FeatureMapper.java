package io.dmlp.inference.service;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.domain.DeployedModel.Feature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Requests' {@code features} as the model's ONNX inputs, exactly as the training job fed them (see
 * {@code dmlp_jobs.tabular}): one [rows, 1] tensor per feature, a string for String columns and a float32 otherwise
 * (Boolean 0/1, Date and DateTime as days since 1970-01-01 UTC). A feature left out (or null) takes the column's
 * default from the training schema, else NaN, which the graph's imputer replaces, or "" for a String.
 */
final class FeatureMapper {

    private static final double DAY_SECONDS = 86_400.0;

    private FeatureMapper() {
    }

    /** One request's features, checked and converted: the float inputs, then the String inputs, in graph order. */
    record Row(float[] numbers, String[] texts) {
    }

    /** The request's features as a row; 422 naming the feature for an unknown name or a value of the wrong type. */
    static Row row(DeployedModel model, JsonNode features) {
        int known = 0;
        int texts = 0;
        for (Feature feature : model.features()) {
            if (features.has(feature.name())) {
                known++;
            }
            if (feature.type() == DataType.STRING) {
                texts++;
            }
        }
        if (known < features.size()) {
            throw unknownNames(model, features);
        }
        Row row = new Row(new float[model.features().size() - texts], new String[texts]);
        int number = 0;
        int text = 0;
        for (Feature feature : model.features()) {
            JsonNode value = features.get(feature.name());
            if (feature.type() == DataType.STRING) {
                row.texts()[text++] = text(feature, value);
            } else {
                row.numbers()[number++] = number(feature, value);
            }
        }
        return row;
    }

    /**
     * The graph's inputs for {@code rows} of one model: a [rows, 1] tensor per feature. The caller closes them. The
     * floats of all features share one native block, each tensor a slice of it: ONNX Runtime takes a direct buffer in
     * native order as it is, where a heap buffer would cost it an allocation and a copy per feature.
     */
    static Map<String, OnnxTensor> inputs(OrtEnvironment environment, DeployedModel model, List<Row> rows)
            throws OrtException {
        int count = rows.size();
        long[] shape = {count, 1};
        int numbers = rows.get(0).numbers().length;
        ByteBuffer block = ByteBuffer.allocateDirect(Float.BYTES * numbers * count).order(ByteOrder.nativeOrder());
        Map<String, OnnxTensor> inputs = new HashMap<>(model.features().size() * 2);
        try {
            int number = 0;
            int text = 0;
            for (Feature feature : model.features()) {
                if (feature.type() == DataType.STRING) {
                    String[] column = new String[count];
                    for (int r = 0; r < count; r++) {
                        column[r] = rows.get(r).texts()[text];
                    }
                    text++;
                    inputs.put(feature.name(), OnnxTensor.createTensor(environment, column, shape));
                } else {
                    FloatBuffer column = block.slice(Float.BYTES * number * count, Float.BYTES * count)
                            .order(ByteOrder.nativeOrder()).asFloatBuffer();
                    for (int r = 0; r < count; r++) {
                        column.put(r, rows.get(r).numbers()[number]);
                    }
                    number++;
                    inputs.put(feature.name(), OnnxTensor.createTensor(environment, column, shape));
                }
            }
        } catch (RuntimeException | OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw e;
        }
        return inputs;
    }

    /** The 422 naming each of the request's feature names the model does not have. */
    private static UnprocessableEntityException unknownNames(DeployedModel model, JsonNode features) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = features.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (model.features().stream().noneMatch(feature -> feature.name().equals(name))) {
                unknown.add("'" + name + "'");
            }
        }
        return new UnprocessableEntityException("'features': model " + model.trainId() + " has no feature "
                + String.join(", ", unknown) + "; its features are "
                + model.features().stream().map(f -> "'" + f.name() + "'").toList() + ".");
    }

    private static String text(Feature feature, JsonNode value) {
        if (absent(value)) {
            return feature.defaultValue() == null ? "" : feature.defaultValue();
        }
        if (value.isTextual() || value.isNumber()) {
            return value.asText();
        }
        throw wrongType(feature, value);
    }

    private static float number(Feature feature, JsonNode value) {
        if (absent(value)) {
            if (feature.imputed() != null) {
                return feature.imputed();
            }
            return feature.defaultValue() == null ? Float.NaN : fromText(feature, feature.defaultValue(), null);
        }
        return switch (feature.type()) {
            case INTEGER -> value.isNumber() && value.asDouble() == Math.rint(value.asDouble())
                    ? (float) value.asDouble() : fromText(feature, textOf(feature, value), value);
            case FLOAT -> value.isNumber() ? finite(feature, value) : fromText(feature, textOf(feature, value), value);
            case BOOLEAN -> value.isBoolean() ? (value.asBoolean() ? 1f : 0f)
                    : fromText(feature, textOf(feature, value), value);
            default -> fromText(feature, textOf(feature, value), value);
        };
    }

    private static float finite(Feature feature, JsonNode value) {
        double number = value.asDouble();
        if (!Double.isFinite(number)) {
            throw wrongType(feature, value);
        }
        return (float) number;
    }

    /** A value written as text, parsed as dataset validation parses it ({@link DataType#parse}). */
    private static float fromText(Feature feature, String text, JsonNode sent) {
        Object parsed = feature.type().parse(text).orElseThrow(() -> sent == null
                ? new UnprocessableEntityException("'features." + feature.name() + "': the model's default '"
                        + text + "' is not " + named(feature.type()) + "; send a value.")
                : wrongType(feature, sent));
        if (parsed instanceof Long integer) {
            return (float) integer.longValue();
        }
        if (parsed instanceof Double real) {
            return (float) real.doubleValue();
        }
        if (parsed instanceof Boolean bool) {
            return bool ? 1f : 0f;
        }
        if (parsed instanceof LocalDate date) {
            return (float) date.toEpochDay();
        }
        OffsetDateTime time = parsed instanceof LocalDateTime local ? local.atOffset(ZoneOffset.UTC)
                : (OffsetDateTime) parsed;
        return (float) ((time.toEpochSecond() + time.getNano() / 1e9) / DAY_SECONDS);
    }

    private static String textOf(Feature feature, JsonNode value) {
        if (!value.isTextual()) {
            throw wrongType(feature, value);
        }
        return value.asText();
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull();
    }

    private static String named(DataType type) {
        return (type == DataType.INTEGER ? "an " : "a ") + type.canonical();
    }

    private static UnprocessableEntityException wrongType(Feature feature, JsonNode value) {
        String shown = value.toString();
        return new UnprocessableEntityException("'features." + feature.name() + "': "
                + (shown.length() > 60 ? shown.substring(0, 60) + "…" : shown) + " is not " + named(feature.type())
                + ".");
    }
}
