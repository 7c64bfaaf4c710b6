package io.dmlp.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.lakehouse.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;

/** A batch result's Parquet file goes into the predictor's gold table where it lies, on the real catalog and store. */
@QuarkusTest
class GoldTablesTest {

    @Inject
    GoldTables gold;

    @Inject
    Lakehouse lakehouse;

    @Inject
    ObjectStore store;

    private final ObjectMapper json = new ObjectMapper();
    private final UUID tenant = UUID.randomUUID();

    @Test
    void resultsAreAppendedAndAFileOfOtherColumnsIsLeftOut() throws IOException {
        JsonNode columns = json.readTree("[{\"name\": \"customer\", \"type\": \"string\"},"
                + " {\"name\": \"prediction\", \"type\": \"bool\"}]");
        String first = parquet(1, columns, 3);
        String second = parquet(2, columns, 2);
        JsonNode others = json.readTree("[{\"name\": \"customer\", \"type\": \"string\"}]");
        String other = parquet(3, others, 1);

        assertThat(gold.append(tenant, "Churn v1", "rita", 1, first, columns)).endsWith("churn_v1");
        assertThat(gold.append(tenant, "Churn v1", "rita", 2, second, columns)).endsWith("churn_v1");
        assertThat(gold.append(tenant, "Churn v1", "rita", 3, other, others)).isNull();

        Table table = lakehouse.catalog().loadTable(Lakehouse.table("gold", tenant, "churn_v1"));
        assertThat(table.properties()).containsKey(TableProperties.DEFAULT_NAME_MAPPING)
                .containsEntry(Lakehouse.TENANT_PROPERTY, tenant.toString());
        List<String> customers = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(row -> customers.add((String) row.getField("customer")));
        }
        assertThat(customers).containsExactlyInAnyOrder("c1-0", "c1-1", "c1-2", "c2-0", "c2-1");
    }

    /** A result file of {@code rows} rows under prediction {@code id}'s folder. */
    private String parquet(long id, JsonNode columns, int rows) throws IOException {
        Schema schema = GoldTables.schema(columns);
        String location = store.location("predictions/" + tenant + "/" + id + "/result.parquet");
        try (FileAppender<Record> writer = Parquet.write(lakehouse.io().newOutputFile(location)).schema(schema)
                .createWriterFunc(GenericParquetWriter::create).overwrite().build()) {
            for (int i = 0; i < rows; i++) {
                GenericRecord record = GenericRecord.create(schema);
                record.setField("customer", "c" + id + "-" + i);
                if (schema.findField("prediction") != null) {
                    record.setField("prediction", i % 2 == 0);
                }
                writer.add(record);
            }
        }
        return location;
    }
}
