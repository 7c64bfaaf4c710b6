package io.dmlp.training.domain;

import io.dmlp.common.error.UnprocessableEntityException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The kinds of model the platform trains, each with the column roles a run of it may use. */
public enum ProblemType {
    Classification(List.of(ColumnRole.Id, ColumnRole.Target, ColumnRole.Feature, ColumnRole.Ignore)),
    Regression(List.of(ColumnRole.Id, ColumnRole.Target, ColumnRole.Feature, ColumnRole.Ignore)),
    Forecast(List.of(ColumnRole.Id, ColumnRole.Target, ColumnRole.Timestamp, ColumnRole.Exogenous,
            ColumnRole.Ignore));

    private final List<ColumnRole> roles;

    ProblemType(List<ColumnRole> roles) {
        this.roles = roles;
    }

    /** The roles a column may take in a run of this type, in the order a form should offer them. */
    public List<ColumnRole> roles() {
        return roles;
    }

    /** The type named {@code name}, case-insensitively; 422 naming {@code field} and the choices otherwise. */
    public static ProblemType parse(String name, String field) {
        return Arrays.stream(values()).filter(type -> type.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new UnprocessableEntityException("'" + field + "' must be one of "
                        + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))
                        + (name == null ? "." : ", not '" + name + "'.")));
    }
}
