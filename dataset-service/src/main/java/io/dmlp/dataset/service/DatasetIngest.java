package io.dmlp.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UniqueViolation;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.dataset.client.TemplateClient;
import io.dmlp.dataset.config.InferredSchemaConfig;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.domain.DatasetWithFiles;
import io.dmlp.dataset.event.DatasetEvents;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.dataset.repository.SilverTables;
import io.dmlp.dataset.service.UploadedFiles.Incoming;
import io.dmlp.dataset.service.UploadedFiles.IncomingFiles;
import io.dmlp.dataset.service.UploadedFiles.Stored;
import io.dmlp.lakehouse.ColumnTypes;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * The upload pipeline: checks the request, then validates and encodes each file while it arrives and while its raw
 * bytes stream to the object store ({@link UploadedFiles}), records the dataset and its files with their events,
 * commits to the silver table, and compensates if any step fails. Blocking: it runs on the request's worker thread,
 * which reads the body as the client sends it; the database steps run on the Vert.x context and are awaited.
 */
@ApplicationScoped
public class DatasetIngest {

    static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");

    /** An upload request, checked by {@link #upload}; its files arrive after the check. */
    public record Upload(String datasetName, String usage, Long templateId, String icebergTableName,
            IncomingFiles files, String authorization) {
    }

    /**
     * A schema is inferred from the first rows of the first file within this many bytes (a row cut off by the
     * limit is not sampled).
     */
    static final int INFERENCE_HEAD_BYTES = 8 << 20;

    private final DatasetRepository datasets;
    private final TemplateClient templates;
    private final DatasetEvents events;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final SilverTables silver;
    private final UploadedFiles uploads;
    private final IngestMetrics metrics;
    private final InferredSchemaConfig inferredSchemas;

    public DatasetIngest(DatasetRepository datasets, TemplateClient templates, DatasetEvents events,
            ObjectMapper json, Vertx vertx, SilverTables silver, UploadedFiles uploads, IngestMetrics metrics,
            InferredSchemaConfig inferredSchemas) {
        this.datasets = datasets;
        this.templates = templates;
        this.events = events;
        this.json = json;
        this.vertx = vertx;
        this.silver = silver;
        this.uploads = uploads;
        this.metrics = metrics;
        this.inferredSchemas = inferredSchemas;
    }

    /**
     * Validates every file, storing its raw bytes and its valid rows as silver Parquet in the same pass, then
     * records the dataset and its files in one transaction whose last step is the Iceberg commit. If anything
     * fails, what was stored or committed is removed again: nothing half-done remains. Blocking.
     */
    public DatasetWithFiles upload(Caller caller, Upload request) throws IOException {
        caller.require(Permission.UPLOAD_DATASETS);
        String name = checkName(request.datasetName());
        String usage = checkUsage(request.usage());
        String table = tableName(request.icebergTableName(), name);
        UUID tenantId = UUID.fromString(caller.tenantId());
        if (await(() -> Panache.withSession(() -> datasets.nameOrTableTaken(tenantId, name, table)))) {
            throw new ConflictException("A dataset named '" + name + "' or with the table '" + table
                    + "' already exists.");
        }
        Incoming first = firstFile(request.files());
        Contract contract;
        if (request.templateId() == null) {
            byte[] head = first.content().readNBytes(INFERENCE_HEAD_BYTES);
            contract = inferred(head, head.length == INFERENCE_HEAD_BYTES);
            first = new Incoming(first.fileName(), new SequenceInputStream(new ByteArrayInputStream(head),
                    first.content()));
        } else {
            contract = Contract.of(await(() -> templates.current(request.templateId(), request.authorization())));
        }
        String location = silver.newLocation(tenantId, table);
        SilverCommit commit = new SilverCommit(silver, tenantId, table);
        Schema schema = ColumnTypes.silverSchema(columns(contract.expected()));
        return storeThenRecord(tenantId, first, request.files(), contract.expected(), schema, location + "/data",
                commit, stored -> record(caller, tenantId, name, usage, table, location, contract, schema, commit,
                        stored));
    }

    /**
     * Adds files to a dataset, validated against the template version the dataset was created with; answers the
     * dataset with the added files (as the guide's sample does). Blocking.
     */
    public DatasetWithFiles addFiles(Caller caller, long datasetId, IncomingFiles files) throws IOException {
        caller.require(Permission.UPLOAD_DATASETS);
        Incoming first = firstFile(files);
        Dataset dataset;
        try {
            dataset = await(() -> Panache.withSession(() -> datasets.visible(caller, datasetId)));
        } catch (ResourceNotFoundException e) {
            drain(first, files); // a body that is no multipart form stays a 400, whatever the dataset
            throw e;
        }
        Table table = silver.load(dataset.tenantId, dataset.icebergTableName);
        SilverCommit commit = new SilverCommit(silver, dataset.tenantId, dataset.icebergTableName);
        return storeThenRecord(dataset.tenantId, first, files, expected(readColumns(dataset.templateSchema)),
                table.schema(), table.location() + "/data", commit,
                stored -> Panache.withTransaction(() -> datasets.findById(datasetId).chain(current -> {
                    current.modifiedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return datasets.files(datasetId).chain(existing -> addFiles(current, existing, stored, commit))
                            .map(all -> new DatasetWithFiles(all.dataset(), stored.stream().map(Stored::row).toList()));
                })));
    }

    /**
     * Stores and validates the files as they arrive, each with a newly reserved id, then runs {@code record}; if
     * recording fails, the commit is undone and the stored objects and data files are removed.
     */
    private <T> T storeThenRecord(UUID tenantId, Incoming first, IncomingFiles rest,
            List<CsvValidator.Expected> expected, Schema schema, String dataDirectory, SilverCommit commit,
            Function<List<Stored>, Uni<T>> record) {
        String prefix = "raw/" + tenantId + "/" + UUID.randomUUID() + "/";
        var timing = metrics.start();
        List<Stored> stored;
        try {
            stored = uploads.storeAll(prefix, first, rest, () -> await(() -> Panache.withSession(
                    () -> datasets.reserveFileIds(1))).get(0), expected, schema, dataDirectory);
        } catch (RuntimeException e) {
            metrics.failed(timing);
            throw e;
        }
        try {
            T recorded = await(() -> record.apply(stored));
            metrics.recorded(timing, stored.stream().map(Stored::row).toList());
            return recorded;
        } catch (RuntimeException e) {
            BestEffort.run("undo the Iceberg commit", commit::undo);
            stored.forEach(file -> BestEffort.run("remove a stored file", file::discard));
            metrics.failed(timing);
            throw e;
        }
    }

    private Uni<DatasetWithFiles> record(Caller caller, UUID tenantId, String name, String usage, String table,
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
        return Panache.withTransaction(() -> datasets.persist(dataset).chain(events::datasetCreated)
                .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    commit.create(location, schema, dataset.id, dataset.createdBy);
                    return null;
                }), false)).chain(() -> addFiles(dataset, List.of(), files, commit)))
                .onFailure(UniqueViolation::in).transform(e -> new ConflictException(
                        "A dataset named '" + name + "' or with the table '" + table + "' already exists."));
    }

    /**
     * Records new files of a dataset with their events inside the caller's transaction; its last step commits
     * each file's rows to the silver table.
     */
    private Uni<DatasetWithFiles> addFiles(Dataset dataset, List<DatasetFile> existing, List<Stored> added,
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
                    .chain(() -> events.fileAdded(dataset, file));
        }
        List<DatasetFile> all = new ArrayList<>(existing);
        added.forEach(stored -> all.add(stored.row()));
        DatasetWithFiles listed = new DatasetWithFiles(dataset, all);
        return chain.chain(() -> events.datasetValidated(listed))
                .chain(() -> Panache.getSession().chain(session -> session.flush()))
                .chain(() -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    added.forEach(stored -> commit.append(stored.dataFiles()));
                    return null;
                }), false))
                .replaceWith(listed);
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
                    DatasetIngest.expected(template.columns()));
        }
    }

    /** A contract inferred from the head of the first file ({@code cut}: the head ends inside the file). */
    private Contract inferred(byte[] head, boolean cut) throws IOException {
        int length = head.length;
        while (cut && length > 0 && head[length - 1] != '\n') {
            length--; // end at a line end: never inside a UTF-8 sequence, mostly at a record's end
        }
        List<CsvValidator.Expected> expected = SchemaInference.infer(new ByteArrayInputStream(head, 0,
                length > 0 ? length : head.length), cut, inferredSchemas);
        var columns = json.createArrayNode();
        expected.forEach(column -> columns.addObject().put("column_name", column.name())
                .put("data_type", column.type().canonical()).putNull("default_value"));
        return new Contract(null, null, null, columns, expected);
    }

    /** The first file of an upload; an upload without one is refused before anything is stored. */
    private static Incoming firstFile(IncomingFiles files) throws IOException {
        Incoming first = files.next();
        if (first == null) {
            throw new UnprocessableEntityException("Send at least one file in the multipart field 'files'.");
        }
        return first;
    }

    /** Reads the rest of an upload that will not be stored, so that a malformed body still shows. */
    private static void drain(Incoming first, IncomingFiles rest) throws IOException {
        for (Incoming file = first; file != null; file = rest.next()) {
            file.content().transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * Runs a reactive step (database, catalog-service) from this blocking pipeline: on the Vert.x context, awaited.
     */
    private static <T> T await(Supplier<Uni<T>> step) {
        try {
            return VertxContextSupport.subscribeAndAwait(step);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ColumnTypes.Column> columns(List<CsvValidator.Expected> expected) {
        return expected.stream().map(e -> new ColumnTypes.Column(e.name(), e.type())).toList();
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
}
