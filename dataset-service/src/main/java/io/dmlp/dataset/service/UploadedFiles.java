package io.dmlp.dataset.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.BadRequestException;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.lakehouse.LakehouseConfig;
import io.dmlp.lakehouse.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * The blocking stage of an upload: each file is read once, as it arrives, for validation and silver Parquet while
 * its raw bytes stream to the object store; nothing is recorded or committed here.
 */
@ApplicationScoped
public class UploadedFiles {

    /** A file of an upload as it arrives: its name as the client gave it, and its bytes. */
    public record Incoming(String fileName, InputStream content) {
    }

    /** The files of an upload, one after the other; each one's content is read before the next is asked for. */
    @FunctionalInterface
    public interface IncomingFiles {
        /** The next file, or null after the last one. */
        Incoming next() throws IOException;
    }

    /** One file read: its row (not yet persisted) and its silver data files (not yet committed). */
    record Stored(DatasetFile row, List<DataFile> dataFiles, Runnable cleanup) {

        /** Removes the raw object and the uncommitted data files. */
        void discard() {
            cleanup.run();
        }
    }

    private final ObjectStore store;
    private final ObjectMapper json;
    private final ManagedExecutor executor;
    private final Lakehouse lakehouse;
    private final LakehouseConfig lakehouseConfig;

    public UploadedFiles(ObjectStore store, ObjectMapper json, ManagedExecutor executor, Lakehouse lakehouse,
            LakehouseConfig lakehouseConfig) {
        this.store = store;
        this.json = json;
        this.executor = executor;
        this.lakehouse = lakehouse;
        this.lakehouseConfig = lakehouseConfig;
    }

    /**
     * Blocking: reads every file, feeding the validator, the silver writer and the object store; {@code fileIds}
     * gives each file its id. If one fails, those stored before are removed again.
     */
    List<Stored> storeAll(String prefix, Incoming first, IncomingFiles rest, LongSupplier fileIds,
            List<CsvValidator.Expected> template, Schema schema, String dataDirectory) {
        List<Stored> stored = new ArrayList<>();
        try {
            for (Incoming file = first; file != null; file = rest.next()) {
                stored.add(storeOne(prefix + (stored.size() + 1) + "-" + safeFileName(file.fileName()), file,
                        fileIds.getAsLong(), template, schema, dataDirectory));
            }
            return stored;
        } catch (IOException | RuntimeException e) {
            stored.forEach(file -> BestEffort.run("remove a stored file", file::discard));
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Reads one file once: the validator and the silver writer take its rows while its bytes go to the store. */
    private Stored storeOne(String key, Incoming upload, long fileId, List<CsvValidator.Expected> template,
            Schema schema, String dataDirectory) throws IOException {
        SilverFileWriter rows = new SilverFileWriter(lakehouse.io(), schema,
                template.stream().map(CsvValidator.Expected::type).toList(), dataDirectory, fileId, lakehouseConfig,
                executor);
        RawCopy raw = new RawCopy(upload.content(), store, key, executor);
        try {
            CsvValidator.Report report = CsvValidator.validate(raw, template, rows);
            rows.close();
            long size = raw.finish();
            DatasetFile row = new DatasetFile();
            row.id = fileId;
            row.fileName = upload.fileName();
            row.csvFilePath = key;
            row.sizeBytes = size;
            row.totalFields = report.totalFields();
            row.totalRecords = report.totalRecords();
            row.validRecords = report.validRecords();
            row.valid = report.valid();
            row.errorReport = report.errorReport() == null ? null : json.writeValueAsString(report.errorReport());
            List<DataFile> dataFiles = rows.dataFiles();
            row.dataFiles = dataFiles.isEmpty() ? null
                    : json.writeValueAsString(dataFiles.stream().map(DataFile::location).toList());
            return new Stored(row, dataFiles, () -> {
                rows.discard();
                store.delete(key);
            });
        } catch (IOException | RuntimeException e) {
            BestEffort.run("remove uncommitted data files", rows::discard);
            raw.abandon();
            BestEffort.run("remove the raw object", () -> store.delete(key));
            throw e;
        }
    }

    /** Keeps object keys plain: no path separators or dot-segments from a client's file name. */
    static String safeFileName(String fileName) {
        String base = fileName == null ? "" : fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._ -]", "_").strip();
        if (base.isEmpty() || base.chars().allMatch(c -> c == '.')) {
            throw new BadRequestException("Every uploaded file needs a file name.");
        }
        return base.length() > 200 ? base.substring(base.length() - 200) : base;
    }
}
