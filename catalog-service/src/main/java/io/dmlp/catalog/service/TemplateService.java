package io.dmlp.catalog.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.catalog.config.DatasetSchemaConfig;
import io.dmlp.catalog.domain.Template;
import io.dmlp.catalog.domain.TemplateVersion;
import io.dmlp.catalog.event.CatalogEvents;
import io.dmlp.catalog.repository.DatasetSchemaRepository;
import io.dmlp.catalog.repository.DatasetSchemaRepository.DatasetSchema;
import io.dmlp.catalog.repository.TemplateRepository;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Templates of a tenant: create, read, version on update, delete unless a dataset uses it. */
@ApplicationScoped
public class TemplateService {

    /** A template at one version, with its columns and how many datasets use the template. */
    public record Versioned(Template template, TemplateVersion version, List<Column> columns, long usedByDatasets) {
    }

    /** A page of templates with the column count of each one's current version. */
    public record Page(List<Template> templates, Map<Long, Integer> columnCounts, long total) {
    }

    private static final Logger LOG = Logger.getLogger(TemplateService.class);
    private static final TypeReference<List<Column>> COLUMNS = new TypeReference<>() {
    };
    /** How often a template made from a dataset looks again for the dataset's schema while it waits. */
    private static final long ARRIVAL_POLL_MILLIS = 200;

    private final TemplateRepository templates;
    private final CatalogEvents events;
    private final ObjectMapper json;
    private final DatasetSchemaRepository datasets;
    private final DatasetSchemaConfig datasetConfig;
    private final Vertx vertx;

    public TemplateService(TemplateRepository templates, CatalogEvents events, ObjectMapper json,
            DatasetSchemaRepository datasets, DatasetSchemaConfig datasetConfig, Vertx vertx) {
        this.templates = templates;
        this.events = events;
        this.json = json;
        this.datasets = datasets;
        this.datasetConfig = datasetConfig;
        this.vertx = vertx;
    }

    @WithTransaction
    public Uni<Template> create(Caller caller, String name, List<Column> columns) {
        caller.require(Permission.MANAGE_TEMPLATES);
        String templateName = checkName(name);
        List<Column> schema = TemplateSchema.validate(columns);
        UUID tenantId = UUID.fromString(caller.tenantId());
        OffsetDateTime now = now();
        return templates.nameTaken(tenantId, templateName, null).chain(taken -> {
            if (taken) {
                throw new ConflictException("A template named '" + templateName + "' already exists.");
            }
            Template template = new Template();
            template.tenantId = tenantId;
            template.templateName = templateName;
            template.currentVersion = 1;
            template.createdBy = caller.username();
            template.createdAt = now;
            template.modifiedBy = caller.username();
            template.modifiedAt = now;
            return templates.persist(template);
        }).call(template -> templates.persistVersion(version(template, schema, caller, now)))
                .call(template -> events.template("created", template));
    }

    /**
     * A template with the columns of a dataset of the caller's tenant (its template's at the version it was made
     * with, or the schema inferred from its first file), as the dataset's event told them.
     */
    public Uni<Template> fromDataset(Caller caller, long datasetId, String name) {
        caller.require(Permission.MANAGE_TEMPLATES);
        UUID tenantId = UUID.fromString(caller.tenantId());
        long deadline = System.nanoTime() + datasetConfig.arrivalWait().toNanos();
        return datasetSchema(datasetId, tenantId, deadline).chain(dataset -> create(caller,
                name == null || name.isBlank() ? dataset.datasetName() + " template" : name,
                read(dataset.columns(), "dataset " + datasetId)));
    }

    /**
     * The schema of a dataset of {@code tenantId}. Its event may still be on its way right after an upload, so an
     * unknown dataset is looked for again until {@code deadline} ({@link System#nanoTime()}), then is a 404.
     */
    private Uni<DatasetSchema> datasetSchema(long datasetId, UUID tenantId, long deadline) {
        return datasets.find(datasetId, tenantId).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            if (System.nanoTime() >= deadline) {
                return Uni.createFrom().failure(new ResourceNotFoundException("Dataset " + datasetId + " not found."));
            }
            return Uni.createFrom().<Long>emitter(later -> vertx.setTimer(ARRIVAL_POLL_MILLIS, later::complete))
                    .chain(() -> datasetSchema(datasetId, tenantId, deadline));
        });
    }

    @WithTransaction
    public Uni<Page> list(Caller caller, int skip, int limit) {
        caller.require(Permission.VIEW);
        UUID scope = caller.isPlatformAdmin() ? null : UUID.fromString(caller.tenantId());
        return templates.page(scope, skip, limit).chain(page -> templates.currentVersions(page)
                .chain(versions -> templates.countIn(scope).map(total -> new Page(page, versions.stream()
                        .collect(Collectors.toMap(v -> v.templateId, v -> columns(v).size())), total))));
    }

    /** The current version, or {@code version} when given. */
    @WithTransaction
    public Uni<Versioned> get(Caller caller, long id, Integer version) {
        caller.require(Permission.VIEW);
        return visible(caller, id).chain(template -> {
            int wanted = version == null ? template.currentVersion : version;
            return templates.version(id, wanted)
                    .onItem().ifNull().failWith(() -> new ResourceNotFoundException(
                            "Template " + id + " has no version " + wanted + "."))
                    .chain(v -> templates.usageCount(id).map(uses -> new Versioned(template, v, columns(v), uses)));
        });
    }

    /** Saves the new name and columns as the next version; datasets made earlier keep theirs. */
    @WithTransaction
    public Uni<Versioned> update(Caller caller, long id, String name, List<Column> columns) {
        caller.require(Permission.MANAGE_TEMPLATES);
        String templateName = checkName(name);
        List<Column> schema = TemplateSchema.validate(columns);
        OffsetDateTime now = now();
        return visible(caller, id).call(template -> templates.nameTaken(template.tenantId, templateName, id)
                .invoke(taken -> {
                    if (taken) {
                        throw new ConflictException("A template named '" + templateName + "' already exists.");
                    }
                })).chain(template -> {
                    template.templateName = templateName;
                    template.currentVersion++;
                    template.modifiedBy = caller.username();
                    template.modifiedAt = now;
                    TemplateVersion next = version(template, schema, caller, now);
                    return templates.persistVersion(next)
                            .chain(() -> events.template("updated", template))
                            .chain(() -> templates.usageCount(id))
                            .map(uses -> new Versioned(template, next, schema, uses));
                });
    }

    @WithTransaction
    public Uni<Void> delete(Caller caller, long id) {
        caller.require(Permission.MANAGE_TEMPLATES);
        return visible(caller, id).call(template -> templates.usageCount(id).invoke(uses -> {
            if (uses > 0) {
                throw new ConflictException("Template " + id + " is used by " + uses
                        + " dataset(s); delete those datasets first.");
            }
        })).call(template -> events.template("deleted", template))
                .chain(templates::delete);
    }

    /**
     * A dataset of {@code tenantId} was created from a template (dataset event); its template can no longer be
     * deleted. An event naming another tenant's template counts nothing.
     */
    public Uni<Void> datasetCreated(long templateId, long datasetId, UUID tenantId) {
        return templates.recordUsage(templateId, datasetId, tenantId).invoke(recorded -> {
            if (recorded == 0) {
                LOG.infof("Dataset %d of tenant %s: template %d is not one of that tenant's, no use recorded",
                        datasetId, tenantId, templateId);
            }
        }).replaceWithVoid();
    }

    /**
     * A dataset of {@code tenantId} was created with these columns (dataset event): templates can be made from it.
     * A redelivery writes the same row again; another tenant's dataset under the same id is left alone.
     */
    public Uni<Void> datasetSchemaLearned(long datasetId, UUID tenantId, String datasetName, JsonNode columns) {
        return datasets.upsert(datasetId, tenantId, datasetName, columns.toString()).invoke(written -> {
            if (written == 0) {
                LOG.infof("Dataset %d of tenant %s: the id is another tenant's, its schema is not recorded",
                        datasetId, tenantId);
            }
        }).replaceWithVoid();
    }

    /** A dataset of {@code tenantId} was deleted: the templates it used are free of it, its schema forgotten. */
    public Uni<Void> datasetDeleted(long datasetId, UUID tenantId) {
        return templates.releaseUsage(datasetId, tenantId).chain(() -> datasets.delete(datasetId, tenantId))
                .replaceWithVoid();
    }

    private Uni<Template> visible(Caller caller, long id) {
        return caller.visible(templates.findById(id), template -> template.tenantId, "Template " + id + " not found.");
    }

    private TemplateVersion version(Template template, List<Column> schema, Caller caller, OffsetDateTime now) {
        TemplateVersion version = new TemplateVersion();
        version.templateId = template.id;
        version.version = template.currentVersion;
        version.templateName = template.templateName;
        version.templateSchema = write(schema);
        version.createdBy = caller.username();
        version.createdAt = now;
        return version;
    }

    private String write(List<Column> schema) {
        try {
            return json.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Template schema is not serialisable", e);
        }
    }

    private List<Column> columns(TemplateVersion version) {
        return read(version.templateSchema, "template " + version.templateId);
    }

    private List<Column> read(String columns, String owner) {
        try {
            return json.readValue(columns, COLUMNS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored schema of " + owner + " is unreadable", e);
        }
    }

    private static String checkName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > TemplateSchema.MAX_NAME
                || stripped.chars().anyMatch(Character::isISOControl)) {
            throw new UnprocessableEntityException("template_name must be 1 to " + TemplateSchema.MAX_NAME
                    + " printable characters.");
        }
        return stripped;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
