package io.dmlp.dataset.service;

import io.dmlp.common.schema.DataType;
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
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;

/**
 * Writes one uploaded file's valid rows as Parquet data files of a silver table, before the table commit. Rows
 * travel in typed batches ({@link RowBatch}) to writer threads (each with data files of its own), so parsing and
 * validating (the caller's thread) overlap with Parquet encoding; a bounded number of batches exists, and each open
 * writer holds at most one row group, so memory stays bounded. Files are rolled at the target size. They become
 * part of the table only when {@link #dataFiles()} are committed; until then {@link #discard()} removes them.
 */
final class SilverFileWriter implements CsvValidator.RowSink, Closeable {

    static final int BATCH_ROWS = 4096;
    static final int BATCHES_PER_WRITER = 3;

    private final FileIO io;
    private final Schema schema;
    private final List<DataType> types;
    private final String directory;
    private final long fileId;
    private final LakehouseConfig config;
    private final BlockingQueue<RowBatch> free;
    private final BlockingQueue<RowBatch> full;
    private final List<FutureTask<Void>> writers = new ArrayList<>();
    private final List<DataFile> written = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private RowBatch filling;
    private boolean closed;

    /**
     * {@code directory}: the table's data directory (no trailing slash); {@code types}: the template's column types,
     * in the order of the schema's columns; the writer threads run on {@code executor}.
     */
    SilverFileWriter(FileIO io, Schema schema, List<DataType> types, String directory, long fileId,
            LakehouseConfig config, Executor executor) {
        this.io = io;
        this.schema = schema;
        this.types = types;
        this.directory = directory;
        this.fileId = fileId;
        this.config = config;
        int batches = BATCHES_PER_WRITER * config.writerThreads();
        this.free = new ArrayBlockingQueue<>(batches);
        this.full = new ArrayBlockingQueue<>(batches + config.writerThreads());
        for (int i = 0; i < batches; i++) {
            free.add(new RowBatch(types, BATCH_ROWS));
        }
        for (int i = 0; i < config.writerThreads(); i++) {
            FutureTask<Void> writer = new FutureTask<>(this::drain);
            writers.add(writer);
            executor.execute(writer);
        }
    }

    @Override
    public RowBatch room() throws IOException {
        if (filling != null && filling.full()) {
            hand(filling);
            filling = null;
        }
        if (filling == null) {
            filling = take(free);
        }
        return filling;
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
        if (filling != null && filling.size() > 0) {
            hand(filling);
            filling = null;
        }
        for (int i = 0; i < writers.size(); i++) {
            RowBatch end = filling != null ? filling : take(free);
            filling = null;
            end.clear();
            hand(end); // one end marker (an empty batch) per writer
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

    /** A writer thread: batches to Parquet files of its own, until an end marker; files roll between batches. */
    private Void drain() throws IOException, InterruptedException {
        SilverRowWriter.Cursor cursor = new SilverRowWriter.Cursor();
        DataWriter<SilverRowWriter.Cursor> current = null;
        try {
            while (true) {
                RowBatch batch = full.take();
                if (batch.size() == 0) {
                    break;
                }
                if (current == null) {
                    current = open();
                }
                cursor.batch = batch;
                for (int r = 0; r < batch.size(); r++) {
                    cursor.row = r;
                    current.write(cursor);
                }
                if (current.length() >= config.targetFileBytes()) {
                    written.add(close(current));
                    current = null;
                }
                batch.clear();
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

    private void hand(RowBatch batch) throws IOException {
        try {
            while (!full.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                failIfWriterStopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    private RowBatch take(BlockingQueue<RowBatch> queue) throws IOException {
        try {
            RowBatch batch;
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

    private DataWriter<SilverRowWriter.Cursor> open() throws IOException {
        String path = directory + "/file-" + fileId + "-" + UUID.randomUUID() + ".parquet";
        paths.add(path);
        return org.apache.iceberg.parquet.Parquet.writeData(io.newOutputFile(path))
                .schema(schema)
                .createWriterFunc(parquet -> new SilverRowWriter(parquet, types, fileId))
                .withSpec(PartitionSpec.unpartitioned())
                .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(config.rowGroupBytes()))
                .set(TableProperties.PARQUET_COMPRESSION, config.parquetCodec())
                .set(TableProperties.PARQUET_COMPRESSION_LEVEL, Integer.toString(config.parquetCompressionLevel()))
                .set("parquet.enable.dictionary", Boolean.toString(config.parquetDictionaryBytes() > 0))
                .set(TableProperties.PARQUET_DICT_SIZE_BYTES, Integer.toString(Math.max(1,
                        config.parquetDictionaryBytes())))
                .overwrite()
                .build();
    }

    private static DataFile close(DataWriter<SilverRowWriter.Cursor> writer) throws IOException {
        writer.close();
        return writer.toDataFile();
    }
}
