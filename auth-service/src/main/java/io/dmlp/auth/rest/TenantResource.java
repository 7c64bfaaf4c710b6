package io.dmlp.auth.rest;

import io.dmlp.auth.rest.Dtos.TenantRequest;
import io.dmlp.auth.rest.Dtos.TenantResponse;
import io.dmlp.auth.rest.Dtos.TenantsPage;
import io.dmlp.auth.service.TenantService;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Tenants: the platform administrator's extension of the API. */
@Path("/api/v1/tenants")
public class TenantResource {

    private final TenantService tenants;
    private final JsonWebToken token;

    public TenantResource(TenantService tenants, JsonWebToken token) {
        this.tenants = tenants;
        this.token = token;
    }

    /** JSON only: a one-field body type would otherwise be "readable" from text/plain and fail with a 500. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TenantResponse.class)))
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Response> create(@Valid @NotNull TenantRequest request) {
        return tenants.create(Caller.of(token), request.name())
                .map(t -> Response.status(Response.Status.CREATED).entity(TenantResponse.of(t)).build());
    }

    @GET
    public Uni<TenantsPage> list() {
        return tenants.list(Caller.of(token))
                .map(list -> new TenantsPage(list.stream().map(TenantResponse::of).toList(), list.size()));
    }
}
