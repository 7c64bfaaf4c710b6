package io.dmlp.catalog.rest;

import static io.dmlp.common.web.QueryParameters.required;

import io.dmlp.catalog.service.Column;
import io.dmlp.catalog.service.TemplateService;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.dmlp.common.web.Paging;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Templates (API guide module 5). */
@Path("/api/v1/template")
public class TemplateResource {

    public record TemplateRequest(String templateName, List<Column> templateSchema) {
    }

    public record Created(int status, String message, long id) {
    }

    public record Summary(String templateName, long id, String tenantId, int noOfColumns, String createdBy,
            OffsetDateTime createdAt, OffsetDateTime modifiedAt, String modifiedBy) {
    }

    public record Detail(String templateName, long id, String tenantId, int noOfColumns, String createdBy,
            OffsetDateTime createdAt, OffsetDateTime modifiedAt, String modifiedBy, int version,
            long usedByDatasets, List<Column> templateSchema) {
        static Detail of(TemplateService.Versioned v) {
            return new Detail(v.version().templateName, v.template().id, v.template().tenantId.toString(),
                    v.columns().size(), v.template().createdBy, v.template().createdAt, v.template().modifiedAt,
                    v.template().modifiedBy, v.version().version, v.usedByDatasets(), v.columns());
        }
    }

    public record Updated(String templateName, List<Column> templateSchema, long id, int version) {
    }

    public record Listing(long total, List<Summary> data) {
    }

    public record Deleted(int statusCode, String message) {
    }

    private final TemplateService templates;
    private final JsonWebToken token;

    public TemplateResource(TemplateService templates, JsonWebToken token) {
        this.templates = templates;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Created.class)))
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Response> create(@NotNull TemplateRequest request) {
        return templates.create(Caller.of(token), request.templateName(), request.templateSchema())
                .map(t -> Response.status(Response.Status.CREATED)
                        .entity(new Created(201, "Template created successfully.", t.id)).build());
    }

    /** A template with a dataset's columns, e.g. the schema inferred when it was uploaded without a template. */
    @POST
    @Path("/from-dataset")
    @APIResponse(responseCode = "201", description = "Created.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Created.class)))
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Response> fromDataset(@RestQuery("dataset_id") Long datasetId,
            @RestQuery("template_name") String templateName) {
        return templates.fromDataset(Caller.of(token), required("dataset_id", datasetId), templateName)
                .map(t -> Response.status(Response.Status.CREATED)
                        .entity(new Created(201, "Template created successfully.", t.id)).build());
    }

    @GET
    @Path("/list")
    public Uni<Listing> list(@RestQuery @DefaultValue("0") int skip, @RestQuery @DefaultValue("100") int limit) {
        Paging.check(skip, limit);
        return templates.list(Caller.of(token), skip, limit).map(page -> new Listing(page.total(),
                page.templates().stream().map(t -> new Summary(t.templateName, t.id, t.tenantId.toString(),
                        page.columnCounts().getOrDefault(t.id, 0), t.createdBy, t.createdAt, t.modifiedAt,
                        t.modifiedBy)).toList()));
    }

    /**
     * The current version, or an earlier one with {@code ?version=}; {@code used_by_datasets} counts the datasets
     * made from it (learned from dataset events, so it follows an upload within a second or two).
     */
    @GET
    @Path("/{template_id}")
    public Uni<Detail> get(@RestPath("template_id") long id, @RestQuery Integer version) {
        return templates.get(Caller.of(token), id, version).map(Detail::of);
    }

    @PUT
    @Path("/update/{template_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(Updated.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Updated> update(@RestPath("template_id") long id, @NotNull TemplateRequest request) {
        return templates.update(Caller.of(token), id, request.templateName(), request.templateSchema())
                .map(v -> new Updated(v.version().templateName, v.columns(), id, v.version().version));
    }

    @DELETE
    @Path("/{template_id}")
    @APIResponseSchema(Deleted.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Deleted> delete(@RestPath("template_id") long id) {
        return templates.delete(Caller.of(token), id)
                .replaceWith(new Deleted(200, "Template deleted successfully."));
    }
}
