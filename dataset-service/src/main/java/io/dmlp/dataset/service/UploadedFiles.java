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
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The blocking stage of an upload: each staged file is read once for validation and silver Parquet while its raw
 * bytes go to the object store; nothing is recorded or committed here.
 */
@ApplicationScoped
public class UploadedFiles {

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

    /** Blocking: each file is read once, feeding the validator, the silver writer and the object store. */
    List<Stored> storeAll(String prefix, List<FileUpload> uploads, List<Long> ids,
            List<CsvValidator.Expected> template, Schema schema, String dataDirectory) {
        List<Stored> stored = new ArrayList<>();
        try {
            for (int i = 0; i < uploads.size(); i++) {
                stored.add(storeOne(prefix + (i + 1) + "-" + safeFileName(uploads.get(i).fileName()),
                        uploads.get(i), ids.get(i), template, schema, dataDirectory));
            }
            return stored;
        } catch (RuntimeException e) {
            stored.forEach(file -> BestEffort.run("remove a stored file", file::discard));
            throw e;
        }
    }

    /**
     * Reads the staged upload once for validation and silver rows while a second reader streams the same file to
     * the object store, in parallel (the operating system's page cache serves both).
     */
    private Stored storeOne(String key, FileUpload upload, long fileId, List<CsvValidator.Expected> template,
            Schema schema, String dataDirectory) {
        SilverFileWriter rows = new SilverFileWriter(lakehouse.io(), schema, dataDirectory, fileId, lakehouseConfig,
                executor);
        Future<?> storing = null;
        try (InputStream file = Files.newInputStream(upload.uploadedFile())) {
            long size = Files.size(upload.uploadedFile());
            storing = executor.submit(() -> {
                try (InputStream copy = Files.newInputStream(upload.uploadedFile())) {
                    store.put(key, copy, size, "text/csv");
                }
                return null;
            });
            CsvValidator.Report report = CsvValidator.validate(file, template, rows);
            rows.close();
            await(storing);
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
            if (storing != null) {
                awaitQuietly(storing);
                BestEffort.run("remove the raw object", () -> store.delete(key));
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static void awaitQuietly(Future<?> storing) {
        try {
            storing.get();
        } catch (ExecutionException ignored) {
            // the upload failed anyway; the key is deleted next either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(Future<?> storing) {
        try {
            storing.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
