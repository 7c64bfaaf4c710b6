package io.dmlp.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.client.DatasetClient;
import io.dmlp.training.domain.ColumnRole;
import io.dmlp.training.domain.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client needs to configure a training run: the dataset's columns with their types, and the roles a column
 * may take for the problem type. The dataset is read with the caller's own token, so another tenant's is a 404.
 */
@ApplicationScoped
public class TrainingDetailsService {

    /** A dataset column as a training form shows it. */
    public record DatasetColumn(String columnName, String dataType) {
    }

    public record Details(long datasetId, ProblemType problemType, List<DatasetColumn> datasetSchema,
            List<ColumnRole> attributes) {
    }

    private final DatasetClient datasets;

    public TrainingDetailsService(DatasetClient datasets) {
        this.datasets = datasets;
    }

    /** {@code authorization}: the caller's own header, passed on to dataset-service. */
    public Uni<Details> details(String authorization, long datasetId, String problemType) {
        ProblemType type = ProblemType.parse(problemType, "problem_type");
        return datasets.schema(datasetId, authorization)
                .map(schema -> new Details(datasetId, type, columns(schema.columns()), type.roles()));
    }

    private static List<DatasetColumn> columns(JsonNode schema) {
        List<DatasetColumn> columns = new ArrayList<>();
        schema.forEach(column -> columns.add(new DatasetColumn(column.path("column_name").asText(),
                column.path("data_type").asText())));
        return columns;
    }
}
