package io.dmlp.dataset.service;

import io.dmlp.lakehouse.ColumnTypes;
import io.dmlp.lakehouse.LakehouseConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.Parquet;

/**
 * Writes one uploaded file's valid rows as Parquet data files of a silver table, before the table commit: files
 * are rolled at the target size, and each open writer holds at most one row group in memory. The files become
 * part of the table only when {@link #dataFiles()} are committed; until then {@link #discard()} removes them.
 */
final class SilverFileWriter implements CsvValidator.RowSink, Closeable {

    private final FileIO io;
    private final Schema schema;
    private final String directory;
    private final long fileId;
    private final LakehouseConfig config;
    private final GenericRecord record;
    private final List<DataFile> written = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private DataWriter<org.apache.iceberg.data.Record> current;

    /** {@code directory}: the table's data directory (no trailing slash). */
    SilverFileWriter(FileIO io, Schema schema, String directory, long fileId, LakehouseConfig config) {
        this.io = io;
        this.schema = schema;
        this.directory = directory;
        this.fileId = fileId;
        this.config = config;
        this.record = GenericRecord.create(schema);
        record.setField(ColumnTypes.FILE_ID, fileId);
    }

    @Override
    public void accept(Object[] row) throws IOException {
        if (current == null) {
            current = open();
        }
        for (int c = 0; c < row.length; c++) {
            record.set(c, ColumnTypes.icebergValue(row[c]));
        }
        current.write(record);
        if (current.length() >= config.targetFileBytes()) {
            roll();
        }
    }

    /** The data files written (after {@link #close()}). */
    List<DataFile> dataFiles() {
        return List.copyOf(written);
    }

    /** Removes the data files: used when the upload does not reach its commit. */
    void discard() {
        closeQuietly();
        paths.forEach(io::deleteFile);
    }

    @Override
    public void close() throws IOException {
        roll();
    }

    private DataWriter<org.apache.iceberg.data.Record> open() {
        String path = directory + "/file-" + fileId + "-" + paths.size() + "-" + java.util.UUID.randomUUID()
                + ".parquet";
        paths.add(path);
        try {
            return Parquet.writeData(io.newOutputFile(path))
                    .schema(schema)
                    .createWriterFunc(GenericParquetWriter::create)
                    .withSpec(PartitionSpec.unpartitioned())
                    .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(config.rowGroupBytes()))
                    .set(TableProperties.PARQUET_COMPRESSION, "snappy")
                    .overwrite()
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void roll() throws IOException {
        if (current != null) {
            DataWriter<org.apache.iceberg.data.Record> closing = current;
            current = null;
            closing.close();
            written.add(closing.toDataFile());
        }
    }

    private void closeQuietly() {
        try {
            roll();
        } catch (IOException | RuntimeException ignored) {
            // discarding anyway
        }
    }
}
