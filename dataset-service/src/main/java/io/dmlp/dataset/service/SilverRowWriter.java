package io.dmlp.dataset.service;

import io.dmlp.common.schema.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.DoubleFieldMetrics;
import org.apache.iceberg.FieldMetrics;
import org.apache.iceberg.parquet.ParquetValueWriter;
import org.apache.iceberg.parquet.TripleWriter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes one row of a {@link RowBatch} into Parquet's column writers: primitives straight from the batch's arrays
 * (Iceberg's generic writer would take a record of boxed values), then the file id. The silver schema is flat:
 * the template's columns, all optional, then the required {@code _file_id}. Float columns also feed Iceberg's
 * NaN counts and bounds, as Iceberg's own writers do.
 */
final class SilverRowWriter implements ParquetValueWriter<SilverRowWriter.Cursor> {

    /** Which row of which batch {@link #write} writes next. */
    static final class Cursor {
        RowBatch batch;
        int row;
    }

    private final DataType[] types;
    private final long fileId;
    private final ColumnDescriptor[] columns;
    private final ColumnWriter[] writers;
    private final DoubleFieldMetrics.Builder[] floats;

    SilverRowWriter(MessageType parquet, List<DataType> types, long fileId) {
        this.types = types.toArray(DataType[]::new);
        this.fileId = fileId;
        this.columns = parquet.getColumns().toArray(ColumnDescriptor[]::new);
        if (columns.length != this.types.length + 1) {
            throw new IllegalArgumentException("silver schema of " + columns.length + " columns for "
                    + this.types.length + " template columns");
        }
        this.writers = new ColumnWriter[columns.length];
        this.floats = new DoubleFieldMetrics.Builder[this.types.length];
        for (int c = 0; c < this.types.length; c++) {
            if (this.types[c] == DataType.FLOAT) {
                floats[c] = new DoubleFieldMetrics.Builder(parquet.getFields().get(c).getId().intValue());
            }
        }
    }

    @Override
    public void write(int repetitionLevel, Cursor cursor) {
        RowBatch batch = cursor.batch;
        int row = cursor.row;
        for (int c = 0; c < types.length; c++) {
            ColumnWriter writer = writers[c];
            if (batch.nulls[c][row]) {
                writer.writeNull(0, 0);
                continue;
            }
            switch (types[c]) {
                case INTEGER, DATETIME -> writer.write(batch.longs[c][row], 0, 1);
                case FLOAT -> {
                    double value = batch.doubles[c][row];
                    writer.write(value, 0, 1);
                    floats[c].addValue(value);
                }
                case BOOLEAN -> writer.write(batch.booleans[c][row], 0, 1);
                case DATE -> writer.write(batch.ints[c][row], 0, 1);
                // reused: Parquet copies what it keeps (dictionary entries, statistics), the batch is refilled
                case STRING -> writer.write(Binary.fromReusedByteArray(batch.bytes, batch.offsets[c][row],
                        batch.lengths[c][row]), 0, 1);
            }
        }
        writers[types.length].write(fileId, 0, 0);
    }

    @Override
    public List<TripleWriter<?>> columns() {
        return List.of(); // Iceberg's file writer does not ask; nested writers would
    }

    @Override
    public void setColumnStore(ColumnWriteStore store) {
        for (int c = 0; c < columns.length; c++) {
            writers[c] = store.getColumnWriter(columns[c]);
        }
    }

    @Override
    public Stream<FieldMetrics<?>> metrics() {
        List<FieldMetrics<?>> metrics = new ArrayList<>();
        for (DoubleFieldMetrics.Builder builder : floats) {
            if (builder != null) {
                metrics.add(builder.build());
            }
        }
        return metrics.stream();
    }
}
