package io.dmlp.dataset.service;

import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.lakehouse.ObjectStore;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The raw bytes of uploaded files: a preview of their first lines, and downloads. */
@ApplicationScoped
public class FileContent {

    static final int PREVIEW_LINE_CHARS = 10_000;

    private final DatasetQueries queries;
    private final DatasetRepository datasets;
    private final ObjectStore store;

    public FileContent(DatasetQueries queries, DatasetRepository datasets, ObjectStore store) {
        this.queries = queries;
        this.datasets = datasets;
        this.store = store;
    }

    /** The first {@code lines} raw lines of a file, each cut at {@value #PREVIEW_LINE_CHARS} characters. */
    public Uni<List<String>> preview(Caller caller, long fileId, int lines) {
        return queries.file(caller, fileId).emitOn(Infrastructure.getDefaultWorkerPool())
                .map(file -> {
                    try (var reader = new BufferedReader(new InputStreamReader(store.get(file.csvFilePath),
                            StandardCharsets.UTF_8))) {
                        List<String> preview = new ArrayList<>();
                        StringBuilder line = new StringBuilder();
                        int c;
                        while (preview.size() < lines && (c = reader.read()) >= 0) {
                            if (c == '\n') {
                                preview.add(stripCr(line));
                                line.setLength(0);
                            } else if (line.length() < PREVIEW_LINE_CHARS) {
                                line.append((char) c);
                            }
                        }
                        if (line.length() > 0 && preview.size() < lines) {
                            preview.add(stripCr(line));
                        }
                        return preview;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static String stripCr(StringBuilder line) {
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }

    /**
     * The raw bytes of {@code key}: only a key recorded for a file of the caller's tenant; anything else,
     * including {@code ..} and absolute paths, is a 404.
     */
    @WithSession
    public Uni<DatasetFile> downloadable(Caller caller, String key) {
        caller.require(Permission.VIEW);
        // Keys are printable ASCII (safeFileName); anything else (a NUL would even fail the query) is no file.
        if (key == null || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new ResourceNotFoundException("No file at that path.");
        }
        return caller.visible(datasets.fileByKey(key), f -> f.tenantId, "No file at '" + key + "'.");
    }

    public InputStream open(DatasetFile file) {
        return store.get(file.csvFilePath);
    }
}
