package io.dmlp.datalake.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type.ID;

/**
 * Reads one top-level primitive column straight from the Parquet column chunks of a table's current data files:
 * only that column's pages are fetched and decoded, values arrive unboxed where they can, and no row objects are
 * built. It applies only to plain Parquet tables without row-level deletes whose files all hold the column (by
 * field id) with a physical type that maps one-to-one; {@link #plan} says when it does not, and the caller then
 * reads through Iceberg's generic reader instead.
 */
final class ParquetColumnScan {

    private final Table table;
    private final Types.NestedField column;
    private final List<String> files;

    private ParquetColumnScan(Table table, Types.NestedField column, List<String> files) {
        this.table = table;
        this.column = column;
        this.files = files;
    }

    /** A scan of {@code column} over the table's planned files, or null when this reader cannot serve it exactly. */
    static ParquetColumnScan plan(Table table, Types.NestedField column, List<FileScanTask> tasks) {
        if (!fastType(column.type())) {
            return null;
        }
        List<String> files = new ArrayList<>();
        for (FileScanTask task : tasks) {
            if (!task.deletes().isEmpty() || task.file().format() != FileFormat.PARQUET) {
                return null;
            }
            files.add(task.file().location());
        }
        return new ParquetColumnScan(table, column, files);
    }

    private static boolean fastType(Type type) {
        return switch (type.typeId()) {
            case INTEGER, LONG, FLOAT, DOUBLE, STRING, BOOLEAN, DATE -> true;
            default -> false;
        };
    }

    /**
     * Every non-null value as a double (numeric columns). False when a file turns out not to fit: the caller
     * discards what it received and reads another way.
     */
    boolean doubles(DoubleConsumer values) {
        return read(reader -> {
            switch (reader.getDescriptor().getPrimitiveType().getPrimitiveTypeName()) {
                case INT32 -> values.accept(reader.getInteger());
                case INT64 -> values.accept(reader.getLong());
                case FLOAT -> values.accept(reader.getFloat());
                case DOUBLE -> values.accept(reader.getDouble());
                default -> throw new IllegalStateException("not numeric");
            }
        });
    }

    /**
     * Every non-null value in a form that is equal exactly when the values are (strings as their UTF-8 bytes,
     * dates as day numbers). False, as for {@link #doubles}, when a file does not fit.
     */
    boolean objects(Consumer<Object> values) {
        return read(reader -> {
            switch (reader.getDescriptor().getPrimitiveType().getPrimitiveTypeName()) {
                case INT32 -> values.accept(reader.getInteger());
                case INT64 -> values.accept(reader.getLong());
                case FLOAT -> values.accept(reader.getFloat());
                case DOUBLE -> values.accept(reader.getDouble());
                case BOOLEAN -> values.accept(reader.getBoolean());
                // A dictionary page's values are constants (copy() returns them); plain pages' are copied.
                case BINARY -> values.accept(reader.getBinary().copy());
                default -> throw new IllegalStateException("unexpected physical type");
            }
        });
    }

    private boolean read(Consumer<ColumnReader> onValue) {
        for (String location : files) {
            try (ParquetFileReader file = ParquetFileReader.open(parquet(table.io().newInputFile(location)))) {
                MessageType schema = file.getFooter().getFileMetaData().getSchema();
                org.apache.parquet.schema.Type field = byId(schema, column.fieldId());
                if (field == null || !field.isPrimitive() || field.isRepetition(
                        org.apache.parquet.schema.Type.Repetition.REPEATED)) {
                    return false; // e.g. written before the column existed: the generic reader knows what to do
                }
                MessageType projection = new MessageType(schema.getName(), field);
                file.setRequestedSchema(projection);
                ColumnDescriptor descriptor = projection.getColumns().get(0);
                String createdBy = file.getFooter().getFileMetaData().getCreatedBy();
                PageReadStore rowGroup;
                while ((rowGroup = file.readNextRowGroup()) != null) {
                    ColumnReader reader = new ColumnReadStoreImpl(rowGroup,
                            new DummyRecordConverter(projection).getRootConverter(), projection, createdBy)
                            .getColumnReader(descriptor);
                    int defined = descriptor.getMaxDefinitionLevel();
                    for (long i = 0, n = reader.getTotalValueCount(); i < n; i++) {
                        if (reader.getCurrentDefinitionLevel() == defined) {
                            onValue.accept(reader);
                        }
                        reader.consume();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return true;
    }

    private static org.apache.parquet.schema.Type byId(MessageType schema, int fieldId) {
        for (org.apache.parquet.schema.Type field : schema.getFields()) {
            ID id = field.getId();
            if (id != null && id.intValue() == fieldId) {
                return field;
            }
        }
        return null;
    }

    /** Iceberg's file (S3 or local) as Parquet's reader wants it. */
    private static InputFile parquet(org.apache.iceberg.io.InputFile in) {
        return new InputFile() {
            @Override
            public long getLength() {
                return in.getLength();
            }

            @Override
            public SeekableInputStream newStream() {
                org.apache.iceberg.io.SeekableInputStream stream = in.newStream();
                return new DelegatingSeekableInputStream(stream) {
                    @Override
                    public long getPos() throws IOException {
                        return stream.getPos();
                    }

                    @Override
                    public void seek(long position) throws IOException {
                        stream.seek(position);
                    }
                };
            }
        };
    }
}
