package io.dmlp.lakehouse;

import io.dmlp.common.schema.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** How template columns become Iceberg columns. */
public final class ColumnTypes {

    /** Every silver row carries the id of the dataset file it came from, so a file's rows can be removed. */
    public static final String FILE_ID = "_file_id";

    /** A template column. */
    public record Column(String name, DataType type) {
    }

    private ColumnTypes() {
    }

    public static Type icebergType(DataType type) {
        return switch (type) {
            case STRING -> Types.StringType.get();
            case INTEGER -> Types.LongType.get();
            case FLOAT -> Types.DoubleType.get();
            case BOOLEAN -> Types.BooleanType.get();
            case DATE -> Types.DateType.get();
            case DATETIME -> Types.TimestampType.withoutZone();
        };
    }

    /**
     * The silver schema of a template: its columns in order (optional: empty cells without a default are null),
     * then {@value #FILE_ID}. Field ids are 1..n in order, as Iceberg assigns them when it creates the table.
     */
    public static Schema silverSchema(List<Column> columns) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (Column column : columns) {
            fields.add(Types.NestedField.optional(fields.size() + 1, column.name(), icebergType(column.type())));
        }
        fields.add(Types.NestedField.required(fields.size() + 1, FILE_ID, Types.LongType.get()));
        return new Schema(fields);
    }

    /** The SQL name a data browser shows for an Iceberg type ({@code varchar}, {@code bigint}, …). */
    public static String sqlName(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN -> "boolean";
            case INTEGER -> "integer";
            case LONG -> "bigint";
            case FLOAT -> "real";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(" + ((Types.DecimalType) type).precision() + ","
                    + ((Types.DecimalType) type).scale() + ")";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "timestamp with time zone"
                    : "timestamp";
            case TIMESTAMP_NANO -> ((Types.TimestampNanoType) type).shouldAdjustToUTC()
                    ? "timestamp(9) with time zone" : "timestamp(9)";
            case STRING -> "varchar";
            case UUID -> "uuid";
            case FIXED, BINARY -> "varbinary";
            case LIST -> "array(" + sqlName(type.asListType().elementType()) + ")";
            case MAP -> "map(" + sqlName(type.asMapType().keyType()) + ", " + sqlName(type.asMapType().valueType())
                    + ")";
            case STRUCT -> "row(" + String.join(", ", type.asStructType().fields().stream()
                    .map(f -> f.name() + " " + sqlName(f.type())).toList()) + ")";
            default -> type.typeId().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Whether numeric statistics apply to a column of this type. */
    public static boolean numeric(Type type) {
        return switch (type.typeId()) {
            case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }
}
