package io.dmlp.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.training.domain.ProblemType;
import io.dmlp.training.domain.TrainingPlan;
import io.dmlp.training.domain.TrainingPlan.Requested;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The columns a training job is given. */
class TrainingSubmissionTest {

    @Test
    void eachSpecColumnCarriesItsTemplateDefaultOrNull() throws Exception {
        JsonNode dataset = new ObjectMapper().readTree("""
                [{"column_name": "age", "data_type": "Integer", "default_value": "40"},
                 {"column_name": "city", "data_type": "String", "default_value": null},
                 {"column_name": "churn", "data_type": "Boolean"}]""");
        TrainingPlan plan = TrainingPlan.of(ProblemType.Classification, dataset, List.of(
                new Requested("age", null, "Feature"), new Requested("city", null, "Feature"),
                new Requested("churn", null, "Target")));

        assertThat(TrainingSubmission.specColumns(plan, dataset)).containsExactly(
                column("age", "Integer", "Feature", "40"), column("city", "String", "Feature", null),
                column("churn", "Boolean", "Target", null));
    }

    private static Map<String, Object> column(String name, String type, String role, String defaultValue) {
        Map<String, Object> column = new HashMap<>();
        column.put("column_name", name);
        column.put("data_type", type);
        column.put("attribute_name", role);
        column.put("default_value", defaultValue);
        return column;
    }
}
