package io.dmlp.catalog.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.catalog.domain.Template;
import io.dmlp.catalog.domain.TemplateVersion;
import io.dmlp.catalog.event.CatalogEvents;
import io.dmlp.catalog.repository.TemplateRepository;
import io.dmlp.common.client.DatasetClient;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
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

    private final TemplateRepository templates;
    private final CatalogEvents events;
    private final ObjectMapper json;
    private final DatasetClient datasets;

    public TemplateService(TemplateRepository templates, CatalogEvents events, ObjectMapper json,
            DatasetClient datasets) {
        this.templates = templates;
        this.events = events;
        this.json = json;
        this.datasets = datasets;
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
     * A template with the columns of a dataset (its template's at the version it was made with, or the schema
     * inferred from its first file), read from dataset-service with the caller's token.
     */
    public Uni<Template> fromDataset(Caller caller, long datasetId, String name, String authorization) {
        caller.require(Permission.MANAGE_TEMPLATES);
        return datasets.schema(datasetId, authorization).chain(dataset -> {
            List<Column> columns = json.convertValue(dataset.columns(), COLUMNS);
            return create(caller, name == null || name.isBlank() ? dataset.name() + " template" : name, columns);
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

    /** A dataset of {@code tenantId} was deleted: the templates it used are free of it. */
    public Uni<Void> datasetDeleted(long datasetId, UUID tenantId) {
        return templates.releaseUsage(datasetId, tenantId).replaceWithVoid();
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
        try {
            return json.readValue(version.templateSchema, COLUMNS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored schema of template " + version.templateId + " is unreadable", e);
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
