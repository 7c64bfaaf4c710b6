package io.dmlp.dataset.service;

import io.dmlp.lakehouse.ColumnTypes;
import io.dmlp.lakehouse.LakehouseConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;

/**
 * Writes one uploaded file's valid rows as Parquet data files of a silver table, before the table commit. Rows
 * travel in batches to writer threads (each with data files of its own), so parsing and validating (the caller's
 * thread) overlap with Parquet encoding; a bounded number of batches exists, and each open writer holds at most
 * one row group, so memory stays bounded. Files are rolled at the target size. They become part of the table only when
 * {@link #dataFiles()} are committed; until then {@link #discard()} removes them.
 */
final class SilverFileWriter implements CsvValidator.RowSink, Closeable {

    static final int BATCH_ROWS = 2048;
    static final int BATCHES_PER_WRITER = 3;

    /** Rows handed over at once; {@code size == 0} marks the end. */
    private static final class Batch {
        final Object[][] rows;
        int size;

        Batch(int columns) {
            rows = new Object[BATCH_ROWS][columns];
        }
    }

    private final FileIO io;
    private final Schema schema;
    private final String directory;
    private final long fileId;
    private final LakehouseConfig config;
    private final BlockingQueue<Batch> free;
    private final BlockingQueue<Batch> full;
    private final List<FutureTask<Void>> writers = new ArrayList<>();
    private final List<DataFile> written = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private Batch filling;
    private boolean closed;

    /** {@code directory}: the table's data directory (no trailing slash); the writer thread runs on {@code executor}. */
    SilverFileWriter(FileIO io, Schema schema, String directory, long fileId, LakehouseConfig config,
            Executor executor) {
        this.io = io;
        this.schema = schema;
        this.directory = directory;
        this.fileId = fileId;
        this.config = config;
        int columns = schema.columns().size() - 1; // all but the file id
        int batches = BATCHES_PER_WRITER * config.writerThreads();
        this.free = new ArrayBlockingQueue<>(batches);
        this.full = new ArrayBlockingQueue<>(batches + config.writerThreads());
        for (int i = 0; i < batches; i++) {
            free.add(new Batch(columns));
        }
        for (int i = 0; i < config.writerThreads(); i++) {
            FutureTask<Void> writer = new FutureTask<>(this::drain);
            writers.add(writer);
            executor.execute(writer);
        }
    }

    @Override
    public void accept(Object[] row) throws IOException {
        if (filling == null) {
            filling = take(free);
        }
        System.arraycopy(row, 0, filling.rows[filling.size], 0, row.length);
        if (++filling.size == BATCH_ROWS) {
            hand(filling);
            filling = null;
        }
    }

    /** The data files written (after {@link #close()}). */
    List<DataFile> dataFiles() {
        return List.copyOf(written);
    }

    /** Stops writing and removes the data files: used when the upload does not reach its commit. */
    void discard() {
        for (FutureTask<Void> writer : writers) {
            writer.cancel(true);
            try {
                writer.get();
            } catch (Exception ignored) {
                // cancelled or failed: either way nothing more is written
            }
        }
        List.copyOf(paths).forEach(io::deleteFile);
    }

    /** Hands over the last rows and waits until every data file is complete. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (filling != null && filling.size > 0) {
            hand(filling);
            filling = null;
        }
        for (int i = 0; i < writers.size(); i++) {
            Batch end = filling != null ? filling : take(free);
            filling = null;
            end.size = 0;
            hand(end); // one end marker per writer
        }
        try {
            for (FutureTask<Void> writer : writers) {
                writer.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("Writing Parquet failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    /** A writer thread: batches to records to Parquet files of its own, until an end marker. */
    private Void drain() throws IOException, InterruptedException {
        GenericRecord record = GenericRecord.create(schema);
        record.setField(ColumnTypes.FILE_ID, fileId);
        DataWriter<org.apache.iceberg.data.Record> current = null;
        try {
            while (true) {
                Batch batch = full.take();
                if (batch.size == 0) {
                    break;
                }
                for (int r = 0; r < batch.size; r++) {
                    if (current == null) {
                        current = open();
                    }
                    Object[] row = batch.rows[r];
                    for (int c = 0; c < row.length; c++) {
                        record.set(c, ColumnTypes.icebergValue(row[c]));
                    }
                    current.write(record);
                    if (current.length() >= config.targetFileBytes()) {
                        written.add(close(current));
                        current = null;
                    }
                }
                batch.size = 0;
                free.put(batch);
            }
            if (current != null) {
                written.add(close(current));
                current = null;
            }
            return null;
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    private void hand(Batch batch) throws IOException {
        try {
            while (!full.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                failIfWriterStopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    private Batch take(BlockingQueue<Batch> queue) throws IOException {
        try {
            Batch batch;
            while ((batch = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
                failIfWriterStopped();
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    /** A writer ends early only when it failed: surface its failure to the reading thread. */
    private void failIfWriterStopped() throws IOException {
        for (FutureTask<Void> writer : writers) {
            if (writer.isDone()) {
                try {
                    writer.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } catch (Exception e) {
                    throw new IOException(e);
                }
                if (!closed) {
                    throw new IOException("A Parquet writer stopped early");
                }
            }
        }
    }

    private DataWriter<org.apache.iceberg.data.Record> open() throws IOException {
        String path = directory + "/file-" + fileId + "-" + UUID.randomUUID() + ".parquet";
        paths.add(path);
        return org.apache.iceberg.parquet.Parquet.writeData(io.newOutputFile(path))
                .schema(schema)
                .createWriterFunc(GenericParquetWriter::create)
                .withSpec(PartitionSpec.unpartitioned())
                .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(config.rowGroupBytes()))
                .set(TableProperties.PARQUET_COMPRESSION, "snappy")
                .overwrite()
                .build();
    }

    private static DataFile close(DataWriter<org.apache.iceberg.data.Record> writer) throws IOException {
        writer.close();
        return writer.toDataFile();
    }
}
