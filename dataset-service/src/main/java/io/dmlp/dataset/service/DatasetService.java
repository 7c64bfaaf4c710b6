package io.dmlp.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.BadRequestException;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.outbox.Outbox;
import io.dmlp.common.schema.DataType;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.lakehouse.ObjectStore;
import io.dmlp.dataset.client.TemplateClient;
import io.dmlp.dataset.config.InferredSchemaConfig;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.dataset.repository.SilverTables;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.lakehouse.ColumnTypes;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.lakehouse.LakehouseConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Datasets: upload with validation, listing, reading and deletion. */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);

    public static final String TOPIC = "dmlp.dataset.events";
    static final int PREVIEW_LINE_CHARS = 10_000;
    static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");

    /** A dataset with its files. */
    public record Listed(Dataset dataset, List<DatasetFile> files) {

        public boolean valid() {
            return files.stream().anyMatch(f -> f.valid);
        }

        /**
         * Valid rows over all rows, e.g. "85%", rounded down: a dataset with a rejected row never reads "100%"
         * (2,997 of 3,000 is "99%").
         */
        public String usability() {
            long total = files.stream().mapToLong(f -> f.totalRecords).sum();
            long valid = files.stream().mapToLong(f -> f.validRecords).sum();
            return (total == 0 ? 0 : Math.floorDiv(100 * valid, total)) + "%";
        }
    }

    /** An upload request, checked by {@link #upload}. */
    public record Upload(String datasetName, String usage, Long templateId, String icebergTableName,
            List<FileUpload> files, String authorization) {
    }

    private final DatasetRepository datasets;
    private final TemplateClient templates;
    private final ObjectStore store;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final ManagedExecutor executor;
    private final SilverTables silver;
    private final Lakehouse lakehouse;
    private final LakehouseConfig lakehouseConfig;
    private final IngestMetrics metrics;
    private final InferredSchemaConfig inferredSchemas;
    private final RayJobRepository rayJobs;

    public DatasetService(DatasetRepository datasets, TemplateClient templates, ObjectStore store, Outbox outbox,
            ObjectMapper json, Vertx vertx, ManagedExecutor executor, SilverTables silver, Lakehouse lakehouse,
            LakehouseConfig lakehouseConfig, IngestMetrics metrics, InferredSchemaConfig inferredSchemas,
            RayJobRepository rayJobs) {
        this.datasets = datasets;
        this.templates = templates;
        this.store = store;
        this.outbox = outbox;
        this.json = json;
        this.vertx = vertx;
        this.executor = executor;
        this.silver = silver;
        this.lakehouse = lakehouse;
        this.lakehouseConfig = lakehouseConfig;
        this.metrics = metrics;
        this.inferredSchemas = inferredSchemas;
        this.rayJobs = rayJobs;
    }

    /**
     * Validates every file, storing its raw bytes and its valid rows as silver Parquet in the same pass, then
     * records the dataset and its files in one transaction whose last step is the Iceberg commit. If anything
     * fails, what was stored or committed is removed again: nothing half-done remains.
     */
    public Uni<Listed> upload(Caller caller, Upload request) {
        caller.require(Permission.UPLOAD_DATASETS);
        String name = checkName(request.datasetName());
        String usage = checkUsage(request.usage());
        String table = tableName(request.icebergTableName(), name);
        checkFiles(request.files());
        UUID tenantId = UUID.fromString(caller.tenantId());
        return Panache.withSession(() -> datasets.nameOrTableTaken(tenantId, name, table)).invoke(taken -> {
            if (taken) {
                throw new ConflictException("A dataset named '" + name + "' or with the table '" + table
                        + "' already exists.");
            }
        }).chain(() -> request.templateId() == null ? inferred(request.files().get(0))
                : templates.current(request.templateId(), request.authorization()).map(Contract::of))
                .chain(contract -> {
                    String location = silver.newLocation(tenantId, table);
                    SilverCommit commit = new SilverCommit(silver, tenantId, table);
                    Schema schema = ColumnTypes.silverSchema(columns(contract.expected()));
                    return storeThenRecord(tenantId, request.files(), contract.expected(), schema,
                            location + "/data", commit, stored -> record(caller, tenantId, name, usage, table,
                                    location, contract, schema, commit, stored));
                });
    }

    /**
     * Adds files to a dataset, validated against the template version the dataset was created with; answers the
     * dataset with the added files (as the guide's sample does).
     */
    public Uni<Listed> addFiles(Caller caller, long datasetId, List<FileUpload> files) {
        caller.require(Permission.UPLOAD_DATASETS);
        checkFiles(files);
        return Panache.withSession(() -> visible(caller, datasetId)).chain(dataset -> vertx.executeBlocking(
                Uni.createFrom().item(() -> silver.load(dataset.tenantId, dataset.icebergTableName)), false)
                .chain(table -> {
                    SilverCommit commit = new SilverCommit(silver, dataset.tenantId, dataset.icebergTableName);
                    return storeThenRecord(dataset.tenantId, files, expected(readColumns(dataset.templateSchema)),
                            table.schema(), table.location() + "/data", commit,
                            stored -> Panache.withTransaction(() -> datasets.findById(datasetId).chain(current -> {
                                current.modifiedAt = OffsetDateTime.now(ZoneOffset.UTC);
                                return datasets.files(datasetId).chain(existing -> addFiles(current, existing,
                                        stored, commit)).map(all -> new Listed(all.dataset(),
                                        stored.stream().map(Stored::row).toList()));
                            })));
                }));
    }

    /**
     * Reserves file ids, stores and validates the files (blocking, on a worker), then runs {@code record}; if
     * recording fails, the commit is undone and the stored objects and data files are removed.
     */
    private <T> Uni<T> storeThenRecord(UUID tenantId, List<FileUpload> files, List<CsvValidator.Expected> expected,
            Schema schema, String dataDirectory, SilverCommit commit, Function<List<Stored>, Uni<T>> record) {
        String prefix = "raw/" + tenantId + "/" + UUID.randomUUID() + "/";
        var timing = metrics.start();
        return Panache.withSession(() -> datasets.reserveFileIds(files.size()))
                .chain(ids -> vertx.executeBlocking(Uni.createFrom().item(() ->
                        storeAll(prefix, files, ids, expected, schema, dataDirectory)), false))
                .chain(stored -> record.apply(stored).onFailure().call(() -> vertx.executeBlocking(
                        Uni.createFrom().item(() -> {
                            bestEffort("undo the Iceberg commit", commit::undo);
                            stored.forEach(file -> bestEffort("remove a stored file", file::discard));
                            return null;
                        }), false))
                        .invoke(() -> metrics.recorded(timing, stored.stream().map(Stored::row).toList())))
                .onFailure().invoke(() -> metrics.failed(timing));
    }

    /**
     * Clean-up after a failure or after the point of no return: the caller must see the failure itself (or the
     * completed deletion), so a clean-up that fails is only logged; what it leaves is an orphan no row points at.
     */
    private static void bestEffort(String what, Runnable cleanUp) {
        try {
            cleanUp.run();
        } catch (RuntimeException e) {
            LOG.warnf("Could not %s (left as an orphan): %s", what, e.toString());
        }
    }

    /**
     * Removes one file: its row and event in a transaction whose last step removes its rows from the silver
     * table, then its raw object.
     */
    public Uni<Void> deleteFile(Caller caller, long fileId) {
        caller.require(Permission.DELETE_DATASETS);
        return Panache.withTransaction(() -> caller.visible(datasets.file(fileId), f -> f.tenantId,
                        "File " + fileId + " not found.")
                .call(file -> outbox.append(TOPIC, "dataset", "file.deleted", file.datasetId.toString(),
                        file.tenantId.toString(), Map.of("dataset_id", file.datasetId, "file_id", file.id)))
                .call(file -> datasets.deleteFile(file))
                .call(file -> datasets.findById(file.datasetId).chain(dataset -> vertx.executeBlocking(
                        Uni.createFrom().item(() -> {
                            silver.removeRowsOf(dataset.tenantId, dataset.icebergTableName, file.id);
                            return null;
                        }), false))))
                .chain(file -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    bestEffort("remove a deleted file's raw object", () -> store.delete(file.csvFilePath));
                    return null;
                }), false))
                .replaceWithVoid();
    }

    /** The first {@code lines} raw lines of a file, each cut at {@value #PREVIEW_LINE_CHARS} characters. */
    public Uni<List<String>> preview(Caller caller, long fileId, int lines) {
        return file(caller, fileId).emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .map(file -> {
                    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(store.get(file.csvFilePath),
                            java.nio.charset.StandardCharsets.UTF_8))) {
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

    /** A page of datasets with their files. */
    public record Page(List<Listed> datasets, long total) {
    }

    /** A page of the caller's datasets (a platform administrator's: everyone's), newest first. */
    @WithTransaction
    public Uni<Page> list(Caller caller, boolean validOnly, int skip, int limit) {
        caller.require(Permission.VIEW);
        UUID scope = caller.isPlatformAdmin() ? null : UUID.fromString(caller.tenantId());
        return datasets.page(scope, validOnly, skip, limit).chain(page -> datasets.filesOf(
                page.stream().map(d -> d.id).toList()).map(files -> page.stream()
                        .map(d -> new Listed(d, files.stream().filter(f -> f.datasetId.equals(d.id)).toList()))
                        .toList()))
                .chain(listed -> datasets.count(scope, validOnly).map(total -> new Page(listed, total)));
    }

    @WithTransaction
    public Uni<Listed> get(Caller caller, long datasetId) {
        caller.require(Permission.VIEW);
        return visible(caller, datasetId).chain(d -> datasets.files(d.id).map(files -> new Listed(d, files)));
    }

    @WithTransaction
    public Uni<DatasetFile> file(Caller caller, long fileId) {
        caller.require(Permission.VIEW);
        return caller.visible(datasets.file(fileId), f -> f.tenantId, "File " + fileId + " not found.");
    }

    /**
     * The raw bytes of {@code key}: only a key recorded for a file of the caller's tenant; anything else,
     * including {@code ..} and absolute paths, is a 404.
     */
    @WithTransaction
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

    /**
     * Deletes the dataset's rows, then its silver table and raw objects (what a crash in between leaves is
     * orphaned only: no dataset points at it).
     */
    public Uni<Void> delete(Caller caller, long datasetId) {
        caller.require(Permission.DELETE_DATASETS);
        return Panache.withTransaction(() -> visible(caller, datasetId).chain(d -> datasets.files(d.id)
                .call(files -> outbox.append(TOPIC, "dataset", "dataset.deleted", d.id.toString(),
                        d.tenantId.toString(), Map.of("dataset_id", d.id)))
                .call(() -> rayJobs.deleteOwned(JobKind.STATISTICS, d.id.toString()))
                .call(() -> datasets.delete(d))
                .map(files -> new Listed(d, files))))
                .chain(deleted -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    bestEffort("drop a deleted dataset's table", () -> silver.drop(deleted.dataset().tenantId,
                            deleted.dataset().icebergTableName));
                    deleted.files().forEach(f -> bestEffort("remove a deleted dataset's raw object",
                            () -> store.delete(f.csvFilePath)));
                    return null;
                }), false))
                .replaceWithVoid();
    }

    /** The first {@code rows} rows of the dataset's silver table, typed. */
    public Uni<List<Map<String, Object>>> head(Caller caller, long datasetId, int rows) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> visible(caller, datasetId))
                .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .map(dataset -> silver.head(dataset.tenantId, dataset.icebergTableName, rows));
    }

    private Uni<Dataset> visible(Caller caller, long datasetId) {
        return caller.visible(datasets.findById(datasetId), d -> d.tenantId, "Dataset " + datasetId + " not found.");
    }

    private Uni<Listed> record(Caller caller, UUID tenantId, String name, String usage, String table,
            String location, Contract contract, Schema schema, SilverCommit commit, List<Stored> files) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Dataset dataset = new Dataset();
        dataset.tenantId = tenantId;
        dataset.datasetName = name;
        dataset.usage = usage;
        dataset.templateId = contract.templateId();
        dataset.templateVersion = contract.templateVersion();
        dataset.templateName = contract.templateName();
        dataset.templateSchema = contract.columns().toString();
        dataset.icebergTableName = table;
        dataset.icebergLocation = location;
        dataset.createdBy = caller.username();
        dataset.createdAt = now;
        dataset.modifiedAt = now;
        return Panache.withTransaction(() -> datasets.persist(dataset).chain(saved -> {
            Map<String, Object> created = new LinkedHashMap<>(); // template_id is null for an inferred schema
            created.put("dataset_id", saved.id);
            created.put("template_id", contract.templateId());
            created.put("template_version", contract.templateVersion());
            // The name and columns let consumers (catalog-service's from-dataset) answer without calling back.
            created.put("dataset_name", name);
            created.put("dataset_schema", contract.columns());
            return outbox.append(TOPIC, "dataset", "dataset.created", saved.id.toString(), tenantId.toString(),
                    created);
        }).chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> {
            commit.create(location, schema, dataset.id, dataset.createdBy);
            return null;
        }), false)).chain(() -> addFiles(dataset, List.of(), files, commit)))
                .onFailure(DatasetService::isUniqueViolation).transform(e -> new ConflictException(
                        "A dataset named '" + name + "' or with the table '" + table + "' already exists."));
    }

    /**
     * Records new files of a dataset with their events inside the caller's transaction; its last step commits
     * each file's rows to the silver table.
     */
    private Uni<Listed> addFiles(Dataset dataset, List<DatasetFile> existing, List<Stored> added,
            SilverCommit commit) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Stored stored : added) {
            DatasetFile file = stored.row();
            file.datasetId = dataset.id;
            file.tenantId = dataset.tenantId;
            file.createdAt = now;
            file.modifiedAt = now;
            chain = chain.chain(() -> datasets.persistFile(file))
                    .chain(() -> outbox.append(TOPIC, "dataset", "file.added", dataset.id.toString(),
                            dataset.tenantId.toString(), Map.of("dataset_id", dataset.id, "file_id", file.id,
                                    "is_valid", file.valid)))
                    .replaceWithVoid();
        }
        List<DatasetFile> all = new ArrayList<>(existing);
        added.forEach(stored -> all.add(stored.row()));
        Listed listed = new Listed(dataset, all);
        return chain.chain(() -> outbox.append(TOPIC, "dataset", "dataset.validated", dataset.id.toString(),
                        dataset.tenantId.toString(), Map.of("dataset_id", dataset.id, "is_valid", listed.valid(),
                                "dataset_usability", listed.usability())))
                .chain(() -> Panache.getSession().chain(session -> session.flush()))
                .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    added.forEach(stored -> commit.append(stored.dataFiles()));
                    return null;
                }), false))
                .replaceWith(listed);
    }

    /** One file read: its row (not yet persisted) and its silver data files (not yet committed). */
    private record Stored(DatasetFile row, List<DataFile> dataFiles, Runnable cleanup) {

        /** Removes the raw object and the uncommitted data files. */
        void discard() {
            cleanup.run();
        }
    }

    /** Blocking: each file is read once, feeding the validator, the silver writer and the object store. */
    private List<Stored> storeAll(String prefix, List<FileUpload> uploads, List<Long> ids,
            List<CsvValidator.Expected> template, Schema schema, String dataDirectory) {
        List<Stored> stored = new ArrayList<>();
        try {
            for (int i = 0; i < uploads.size(); i++) {
                stored.add(storeOne(prefix + (i + 1) + "-" + safeFileName(uploads.get(i).fileName()),
                        uploads.get(i), ids.get(i), template, schema, dataDirectory));
            }
            return stored;
        } catch (RuntimeException e) {
            stored.forEach(file -> bestEffort("remove a stored file", file::discard));
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
            bestEffort("remove uncommitted data files", rows::discard);
            if (storing != null) {
                awaitQuietly(storing);
                bestEffort("remove the raw object", () -> store.delete(key));
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

    private JsonNode readColumns(String schema) {
        try {
            return json.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored template schema is unreadable", e);
        }
    }

    /** What a dataset's files are validated against: a template version, or a schema inferred from a file. */
    private record Contract(Long templateId, Integer templateVersion, String templateName, JsonNode columns,
            List<CsvValidator.Expected> expected) {

        static Contract of(TemplateClient.TemplateVersion template) {
            return new Contract(template.id(), template.version(), template.name(), template.columns(),
                    DatasetService.expected(template.columns()));
        }
    }

    /** A contract inferred from the first file (blocking read of its head, on a worker). */
    private Uni<Contract> inferred(FileUpload first) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try (InputStream in = Files.newInputStream(first.uploadedFile())) {
                List<CsvValidator.Expected> expected = SchemaInference.infer(in, inferredSchemas);
                var columns = json.createArrayNode();
                expected.forEach(column -> columns.addObject().put("column_name", column.name())
                        .put("data_type", column.type().canonical()).putNull("default_value"));
                return new Contract(null, null, null, columns, expected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), false);
    }

    private static List<ColumnTypes.Column> columns(List<CsvValidator.Expected> expected) {
        return expected.stream().map(e -> new ColumnTypes.Column(e.name(), e.type())).toList();
    }

    private static void checkFiles(List<FileUpload> files) {
        if (files == null || files.isEmpty()) {
            throw new UnprocessableEntityException("Send at least one file in the multipart field 'files'.");
        }
    }

    private static List<CsvValidator.Expected> expected(JsonNode columns) {
        List<CsvValidator.Expected> expected = new ArrayList<>();
        for (JsonNode column : columns) {
            expected.add(new CsvValidator.Expected(column.path("column_name").asText(),
                    DataType.of(column.path("data_type").asText()).orElse(DataType.STRING),
                    column.path("default_value").isNull() ? null : column.path("default_value").asText(null)));
        }
        return expected;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 200
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new UnprocessableEntityException("dataset_name must be 1 to 200 printable characters.");
        }
        return name.strip();
    }

    private static String checkUsage(String usage) {
        if (usage == null || !(usage.equals("t") || usage.equals("p"))) {
            throw new UnprocessableEntityException("usage must be 't' (training) or 'p' (prediction).");
        }
        return usage;
    }

    /** The given table name, or one derived from the dataset name. */
    static String tableName(String given, String datasetName) {
        if (given != null && !given.isBlank()) {
            if (!TABLE_NAME.matcher(given).matches()) {
                throw new UnprocessableEntityException("iceberg_table_name must start with a letter and hold only "
                        + "lower-case letters, digits and _ (at most 100 characters).");
            }
            return given;
        }
        String derived = datasetName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        derived = derived.isEmpty() || !Character.isLetter(derived.charAt(0)) ? "ds_" + derived : derived;
        return derived.length() > 100 ? derived.substring(0, 100) : derived;
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

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("duplicate key")) {
                return true;
            }
        }
        return false;
    }
}
