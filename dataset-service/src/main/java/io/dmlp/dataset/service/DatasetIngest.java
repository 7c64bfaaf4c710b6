package io.dmlp.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.ConflictException;
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
import io.dmlp.dataset.service.UploadedFiles.Stored;
import io.dmlp.lakehouse.ColumnTypes;
import io.quarkus.hibernate.reactive.panache.Panache;
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
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The upload pipeline: checks the request, stages, validates and encodes each file while storing its raw bytes
 * ({@link UploadedFiles}), records the dataset and its files with their events, commits to the silver table, and
 * compensates if any step fails.
 */
@ApplicationScoped
public class DatasetIngest {

    static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");

    /** An upload request, checked by {@link #upload}. */
    public record Upload(String datasetName, String usage, Long templateId, String icebergTableName,
            List<FileUpload> files, String authorization) {
    }

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
     * fails, what was stored or committed is removed again: nothing half-done remains.
     */
    public Uni<DatasetWithFiles> upload(Caller caller, Upload request) {
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
    public Uni<DatasetWithFiles> addFiles(Caller caller, long datasetId, List<FileUpload> files) {
        caller.require(Permission.UPLOAD_DATASETS);
        checkFiles(files);
        return Panache.withSession(() -> datasets.visible(caller, datasetId)).chain(dataset -> vertx.executeBlocking(
                Uni.createFrom().item(() -> silver.load(dataset.tenantId, dataset.icebergTableName)), false)
                .chain(table -> {
                    SilverCommit commit = new SilverCommit(silver, dataset.tenantId, dataset.icebergTableName);
                    return storeThenRecord(dataset.tenantId, files, expected(readColumns(dataset.templateSchema)),
                            table.schema(), table.location() + "/data", commit,
                            stored -> Panache.withTransaction(() -> datasets.findById(datasetId).chain(current -> {
                                current.modifiedAt = OffsetDateTime.now(ZoneOffset.UTC);
                                return datasets.files(datasetId).chain(existing -> addFiles(current, existing,
                                        stored, commit)).map(all -> new DatasetWithFiles(all.dataset(),
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
                        uploads.storeAll(prefix, files, ids, expected, schema, dataDirectory)), false))
                .chain(stored -> record.apply(stored).onFailure().call(() -> vertx.executeBlocking(
                        Uni.createFrom().item(() -> {
                            BestEffort.run("undo the Iceberg commit", commit::undo);
                            stored.forEach(file -> BestEffort.run("remove a stored file", file::discard));
                            return null;
                        }), false))
                        .invoke(() -> metrics.recorded(timing, stored.stream().map(Stored::row).toList())))
                .onFailure().invoke(() -> metrics.failed(timing));
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
}
