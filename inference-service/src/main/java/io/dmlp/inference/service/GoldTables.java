package io.dmlp.inference.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.lakehouse.Lakehouse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.jboss.logging.Logger;

/**
 * A batch job's rows in the predictor's {@code gold} Iceberg table ({@code gold.<tenant>.<predictor name>}): the
 * job's Parquet result is registered as a data file where it lies (no copy), the table created from the job's
 * column list the first time. Blocking: call it from worker threads.
 */
@ApplicationScoped
public class GoldTables {

    static final String GOLD = "gold";
    private static final Logger LOG = Logger.getLogger(GoldTables.class);

    /** What a result column is, as the job names its Arrow type, in Iceberg. */
    private static final Map<String, Type> TYPES = Map.of(
            "string", Types.StringType.get(), "large_string", Types.StringType.get(),
            "double", Types.DoubleType.get(), "float", Types.DoubleType.get(),
            "int64", Types.LongType.get(), "int32", Types.LongType.get(),
            "bool", Types.BooleanType.get());

    private final Lakehouse lakehouse;

    public GoldTables(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    /**
     * Appends the Parquet file at {@code location} ({@code columns}: {@code [{name, type}]}, its Arrow schema) to the
     * predictor's table. Returns the table's name, or null when the file was not appended: its columns are not the
     * table's (or name a type the table cannot hold), which is logged; the prediction itself stands.
     */
    public String append(UUID tenantId, String predictorName, String createdBy, long predictionId, String location,
            JsonNode columns) {
        TableIdentifier id = Lakehouse.table(GOLD, tenantId, tableName(predictorName));
        Schema schema = schema(columns);
        if (schema == null) {
            LOG.warnf("Prediction %d: its result's columns %s hold a type the gold table cannot take; not appended to %s",
                    predictionId, columns, id);
            return null;
        }
        return Lakehouse.guarded("append prediction " + predictionId + " to " + id, () -> {
            Table table = table(id, schema, tenantId, createdBy);
            if (!schema.asStruct().equals(table.schema().asStruct())) {
                LOG.warnf("Prediction %d: its result's columns %s are not those of %s (%s); not appended",
                        predictionId, columns, id, table.schema().asStruct());
                return null;
            }
            InputFile file = lakehouse.io().newInputFile(location);
            NameMapping mapping = MappingUtil.create(table.schema());
            DataFile data = DataFiles.builder(table.spec()).withPath(location).withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(file.getLength())
                    .withMetrics(ParquetUtil.fileMetrics(file, MetricsConfig.forTable(table), mapping))
                    .build();
            table.newAppend().appendFile(data).commit();
            return id.toString();
        });
    }

    /** The table's name: the predictor's name as a table name may be (lower-case letters, digits and _). */
    static String tableName(String predictorName) {
        String name = predictorName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        name = name.isEmpty() || !Character.isLetter(name.charAt(0)) ? "p_" + name : name;
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    /** The Iceberg schema of the job's columns (all optional, ids 1..n in order); null for an unknown type. */
    static Schema schema(JsonNode columns) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (JsonNode column : columns) {
            Type type = TYPES.get(column.path("type").asText());
            if (type == null) {
                return null;
            }
            fields.add(Types.NestedField.optional(fields.size() + 1, column.path("name").asText(), type));
        }
        return new Schema(fields);
    }

    private Table table(TableIdentifier id, Schema schema, UUID tenantId, String createdBy) {
        if (lakehouse.catalog().tableExists(id)) {
            return lakehouse.catalog().loadTable(id);
        }
        lakehouse.ensureNamespace(id.namespace());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(Lakehouse.TENANT_PROPERTY, tenantId.toString());
        properties.put(Lakehouse.OWNER_PROPERTY, createdBy);
        // The job's Parquet files carry no Iceberg field ids: their columns are read by name.
        properties.put(TableProperties.DEFAULT_NAME_MAPPING, NameMappingParser.toJson(MappingUtil.create(schema)));
        try {
            return lakehouse.catalog().buildTable(id, schema).withLocation(lakehouse.newTableLocation(id))
                    .withProperties(properties).create();
        } catch (AlreadyExistsException raced) {
            return lakehouse.catalog().loadTable(id); // created at the same moment by another batch of the predictor
        }
    }
}
