package io.dmlp.training.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.training.domain.TrainingPlan.PlannedColumn;
import io.dmlp.training.domain.TrainingPlan.Requested;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The checks a run's columns pass before anything is computed, each refusal naming the request field. */
class TrainingPlanTest {

    private static final JsonNode DATASET = read("""
            [{"column_name": "id", "data_type": "String"}, {"column_name": "age", "data_type": "Integer"},
             {"column_name": "city", "data_type": "String"}, {"column_name": "paid", "data_type": "Float"},
             {"column_name": "churn", "data_type": "Boolean"}, {"column_name": "day", "data_type": "Date"},
             {"column_name": "note", "data_type": "String"}]""");

    private static final List<Requested> CHURN = List.of(new Requested("id", null, "Id"),
            new Requested("age", "integer", "feature"), new Requested("city", null, "Feature"),
            new Requested("churn", "Boolean", "TARGET"));

    @Test
    void aTableReadsItsFeaturesAndTargetInTheDatasetsOrderAndIgnoresUnnamedColumns() {
        TrainingPlan plan = TrainingPlan.of(ProblemType.Classification, DATASET, CHURN);

        assertThat(plan.columns()).extracting(PlannedColumn::columnName).containsExactly("id", "age", "city", "churn");
        assertThat(plan.inputs()).containsExactly(new PlannedColumn("age", "Integer", ColumnRole.Feature),
                new PlannedColumn("city", "String", ColumnRole.Feature));
        assertThat(plan.target()).isEqualTo(new PlannedColumn("churn", "Boolean", ColumnRole.Target));
    }

    @Test
    void aForecastReadsItsSeriesIdTimestampAndCovariates() {
        TrainingPlan plan = TrainingPlan.of(ProblemType.Forecast, DATASET, List.of(new Requested("id", null, "Id"),
                new Requested("day", null, "Timestamp"), new Requested("age", null, "Exogenous"),
                new Requested("paid", null, "Target")));

        assertThat(plan.inputs()).extracting(PlannedColumn::columnName).containsExactly("id", "age", "day");
        assertThat(plan.target().columnName()).isEqualTo("paid");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no target", ProblemType.Classification, replace(3, new Requested("churn", null, "Ignore")),
                        "exactly one Target column"),
                Arguments.of("two targets", ProblemType.Classification, plus(new Requested("note", null, "Target")),
                        "exactly one Target column (a Target), not 2"),
                Arguments.of("unknown column", ProblemType.Classification, plus(new Requested("nope", null, "Feature")),
                        "'columns[4].column_name': the dataset has no column 'nope'"),
                Arguments.of("blank name", ProblemType.Classification, plus(new Requested(" ", null, "Feature")),
                        "'columns[4].column_name' is required"),
                Arguments.of("named twice", ProblemType.Classification, plus(new Requested("age", null, "Feature")),
                        "column 'age' is named twice"),
                Arguments.of("other type", ProblemType.Classification, replace(1, new Requested("age", "Float", "Feature")),
                        "'columns[1].data_type': column 'age' is Integer in the dataset, not Float"),
                Arguments.of("unknown role", ProblemType.Classification, replace(1, new Requested("age", null, "Label")),
                        "'columns[1].attribute_name' must be one of Id, Target, Feature, Ignore"),
                Arguments.of("role of another problem", ProblemType.Regression,
                        replace(1, new Requested("age", null, "Timestamp")), "'columns[1].attribute_name'"),
                Arguments.of("boolean regression target", ProblemType.Regression, CHURN,
                        "the Target 'churn' is Boolean; a Regression target must be Float or Integer"),
                Arguments.of("float class", ProblemType.Classification, replace(3, new Requested("paid", null, "Target")),
                        "a Classification target must be Boolean or Integer or String"),
                Arguments.of("no features", ProblemType.Classification, List.of(new Requested("churn", null, "Target")),
                        "needs at least one Feature"),
                Arguments.of("forecast without timestamp", ProblemType.Forecast,
                        List.of(new Requested("paid", null, "Target")), "one Timestamp column"),
                Arguments.of("timestamp not a date", ProblemType.Forecast, List.of(new Requested("paid", null, "Target"),
                        new Requested("age", null, "Timestamp")), "it must be Date or DateTime"),
                Arguments.of("two series ids", ProblemType.Forecast, List.of(new Requested("paid", null, "Target"),
                        new Requested("day", null, "Timestamp"), new Requested("id", null, "Id"),
                        new Requested("note", null, "Id")), "at most one Id column"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithA422NamingTheField(String name, ProblemType problem, List<Requested> columns, String message) {
        assertThatThrownBy(() -> TrainingPlan.of(problem, DATASET, columns))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining(message);
    }

    private static List<Requested> plus(Requested column) {
        List<Requested> columns = new ArrayList<>(CHURN);
        columns.add(column);
        return columns;
    }

    private static List<Requested> replace(int index, Requested column) {
        List<Requested> columns = new ArrayList<>(CHURN);
        columns.set(index, column);
        return columns;
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
