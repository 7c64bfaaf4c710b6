package io.dmlp.training.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The columns of a training run, checked against the dataset and the problem type before anything is computed: each
 * named column exists (types as the dataset has them), each role is one the problem type takes, there is exactly one
 * target of a type that fits, tables have features, forecasts one date or date-time timestamp and at most one series
 * id. Dataset columns left unnamed are ignored. Every refusal is a 422 naming the request field.
 *
 * @param columns every column the job reads, with its role ({@code Ignore} left out), in the dataset's order
 * @param inputs the model's inputs: the features of a table; id, timestamp and covariates of a forecast
 */
public record TrainingPlan(ProblemType problem, List<PlannedColumn> columns, List<PlannedColumn> inputs,
        PlannedColumn target) {

    /** A column as the job and the preprocess record see it. */
    public record PlannedColumn(String columnName, String dataType, ColumnRole attributeName) {
    }

    /** A column as the client named it: any of its fields may be missing or wrong. */
    public record Requested(String columnName, String dataType, String attributeName) {
    }

    private static final Set<String> CLASS_TYPES = Set.of("String", "Boolean", "Integer");
    private static final Set<String> NUMERIC_TYPES = Set.of("Integer", "Float");
    private static final Set<String> TIME_TYPES = Set.of("Date", "DateTime");

    /** {@code datasetColumns}: the dataset's {@code [{column_name, data_type}]}. */
    public static TrainingPlan of(ProblemType problem, JsonNode datasetColumns, List<Requested> requested) {
        Map<String, String> typeOf = new LinkedHashMap<>();
        datasetColumns.forEach(c -> typeOf.put(c.path("column_name").asText(),
                DataType.of(c.path("data_type").asText()).map(DataType::canonical).orElse(c.path("data_type").asText())));
        Map<String, ColumnRole> roleOf = new HashMap<>();
        for (int i = 0; i < requested.size(); i++) {
            Requested column = requested.get(i);
            String field = "columns[" + i + "]";
            if (column == null || column.columnName() == null || column.columnName().isBlank()) {
                throw new UnprocessableEntityException("'" + field + ".column_name' is required.");
            }
            String name = column.columnName();
            String type = typeOf.get(name);
            if (type == null) {
                throw new UnprocessableEntityException("'" + field + ".column_name': the dataset has no column '"
                        + name + "'; its columns are " + String.join(", ", typeOf.keySet()) + ".");
            }
            if (roleOf.containsKey(name)) {
                throw new UnprocessableEntityException("'" + field + ".column_name': column '" + name
                        + "' is named twice.");
            }
            if (column.dataType() != null && !column.dataType().isBlank()
                    && !column.dataType().strip().equalsIgnoreCase(type)) {
                throw new UnprocessableEntityException("'" + field + ".data_type': column '" + name + "' is " + type
                        + " in the dataset, not " + column.dataType() + ".");
            }
            roleOf.put(name, role(column.attributeName(), problem, field + ".attribute_name"));
        }
        List<PlannedColumn> columns = new ArrayList<>();
        typeOf.forEach((name, type) -> {
            ColumnRole role = roleOf.getOrDefault(name, ColumnRole.Ignore);
            if (role != ColumnRole.Ignore) {
                columns.add(new PlannedColumn(name, type, role));
            }
        });
        PlannedColumn target = only(columns, ColumnRole.Target, true, "a Target");
        Set<String> fitting = switch (problem) {
            case Classification -> CLASS_TYPES;
            case Regression, Forecast -> NUMERIC_TYPES;
        };
        if (!fitting.contains(target.dataType())) {
            throw new UnprocessableEntityException("'columns': the Target '" + target.columnName() + "' is "
                    + target.dataType() + "; a " + problem + " target must be "
                    + fitting.stream().sorted().collect(Collectors.joining(" or ")) + ".");
        }
        List<PlannedColumn> inputs;
        if (problem == ProblemType.Forecast) {
            PlannedColumn timestamp = only(columns, ColumnRole.Timestamp, true, "a Timestamp");
            if (!TIME_TYPES.contains(timestamp.dataType())) {
                throw new UnprocessableEntityException("'columns': the Timestamp '" + timestamp.columnName()
                        + "' is " + timestamp.dataType() + "; it must be Date or DateTime.");
            }
            only(columns, ColumnRole.Id, false, "an Id (the series id)");
            inputs = columns.stream().filter(c -> c.attributeName() != ColumnRole.Target).toList();
        } else {
            inputs = columns.stream().filter(c -> c.attributeName() == ColumnRole.Feature).toList();
            if (inputs.isEmpty()) {
                throw new UnprocessableEntityException("'columns': a " + problem
                        + " needs at least one Feature column.");
            }
        }
        return new TrainingPlan(problem, columns, inputs, target);
    }

    private static ColumnRole role(String name, ProblemType problem, String field) {
        ColumnRole role = Arrays.stream(ColumnRole.values()).filter(r -> r.name().equalsIgnoreCase(
                name == null ? "" : name.strip())).findFirst().orElse(null);
        if (role == null || !problem.roles().contains(role)) {
            throw new UnprocessableEntityException("'" + field + "' must be one of " + problem.roles().stream()
                    .map(Enum::name).collect(Collectors.joining(", ")) + " for " + problem
                    + (name == null ? "." : ", not '" + name + "'."));
        }
        return role;
    }

    /** The one column of {@code role}; 422 when there are several, or none and it is required. */
    private static PlannedColumn only(List<PlannedColumn> columns, ColumnRole role, boolean required, String what) {
        List<PlannedColumn> found = columns.stream().filter(c -> c.attributeName() == role).toList();
        if (found.size() > 1 || (required && found.isEmpty())) {
            throw new UnprocessableEntityException("'columns' must name " + (required ? "exactly" : "at most")
                    + " one " + role + " column (" + what + "), not " + found.size() + ".");
        }
        return found.isEmpty() ? null : found.get(0);
    }
}
