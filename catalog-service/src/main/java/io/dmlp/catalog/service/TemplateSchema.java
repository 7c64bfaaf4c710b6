package io.dmlp.catalog.service;

import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The rules a template's columns follow; every violation is reported at once, naming its column. */
public final class TemplateSchema {

    static final int MAX_COLUMNS = 2000;
    static final int MAX_NAME = 200;

    private TemplateSchema() {
    }

    /** The columns with canonical type names, or a 422 listing every problem. */
    public static List<Column> validate(List<Column> columns) {
        if (columns == null || columns.isEmpty()) {
            throw new UnprocessableEntityException("template_schema must list at least one column.");
        }
        if (columns.size() > MAX_COLUMNS) {
            throw new UnprocessableEntityException("template_schema may list at most " + MAX_COLUMNS + " columns.");
        }
        List<Map<String, Object>> problems = new ArrayList<>();
        List<Column> normalized = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String name = column == null || column.columnName() == null ? "" : column.columnName().strip();
            String label = name.isEmpty() ? "#" + (i + 1) : name;
            if (name.isEmpty()) {
                problems.add(problem(label, "column_name must not be empty"));
            } else if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
                problems.add(problem(label, "column_name must be at most " + MAX_NAME
                        + " printable characters"));
            } else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                problems.add(problem(label, "column_name is repeated (names are compared ignoring case)"));
            }
            DataType type = column == null ? null : DataType.of(column.dataType()).orElse(null);
            if (type == null) {
                problems.add(problem(label, "data_type must be one of " + DataType.names()));
            } else if (column.defaultValue() != null && type.parse(column.defaultValue()).isEmpty()) {
                problems.add(problem(label, "default_value '" + column.defaultValue() + "' is not a valid "
                        + type.canonical()));
            }
            normalized.add(new Column(name, type == null ? null : type.canonical(),
                    column == null ? null : column.defaultValue()));
        }
        if (!problems.isEmpty()) {
            throw new UnprocessableEntityException("The template schema is invalid: " + problems.size()
                    + " problem(s).").withDetails(problems);
        }
        return normalized;
    }

    private static Map<String, Object> problem(String column, String reason) {
        return Map.of("column", column, "reason", reason);
    }
}
