package io.dmlp.auth.rest;

import io.dmlp.auth.rest.Dtos.NameInTenant;
import io.dmlp.auth.rest.Dtos.PermissionAssignment;
import io.dmlp.auth.rest.Dtos.PermissionResponse;
import io.dmlp.auth.rest.Dtos.RoleResponse;
import io.dmlp.auth.rest.Dtos.RoleWithPermissions;
import io.dmlp.auth.service.RbacService;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Roles and permissions of a tenant (API guide module 3, plus listing and granting). */
@Path("/api/v1/rbac")
public class RbacResource {

    private final RbacService rbac;
    private final JsonWebToken token;

    public RbacResource(RbacService rbac, JsonWebToken token) {
        this.rbac = rbac;
        this.token = token;
    }

    @POST
    @Path("/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RoleResponse.class)))
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Response> createRole(@Valid @NotNull NameInTenant request) {
        return rbac.createRole(Caller.of(token), request.name(), request.tenantId())
                .map(role -> Response.status(Response.Status.CREATED).entity(RoleResponse.of(role)).build());
    }

    @POST
    @Path("/permissions")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PermissionResponse.class)))
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Response> createPermission(@Valid @NotNull NameInTenant request) {
        return rbac.createPermission(Caller.of(token), request.name(), request.tenantId())
                .map(p -> Response.status(Response.Status.CREATED).entity(PermissionResponse.of(p)).build());
    }

    @GET
    @Path("/roles")
    public Uni<List<RoleWithPermissions>> roles(@RestQuery("tenant_id") String tenantId) {
        return rbac.listRoles(Caller.of(token), tenantId)
                .map(views -> views.stream().map(RoleWithPermissions::of).toList());
    }

    @GET
    @Path("/permissions")
    public Uni<List<PermissionResponse>> permissions(@RestQuery("tenant_id") String tenantId) {
        return rbac.listPermissions(Caller.of(token), tenantId)
                .map(list -> list.stream().map(PermissionResponse::of).toList());
    }

    @POST
    @Path("/roles/{role_id}/permissions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RoleWithPermissions> grant(@RestPath("role_id") long roleId,
            @Valid @NotNull PermissionAssignment request) {
        return rbac.grant(Caller.of(token), roleId, request.permissionId(), true).map(RoleWithPermissions::of);
    }

    @DELETE
    @Path("/roles/{role_id}/permissions/{permission_id}")
    public Uni<RoleWithPermissions> revoke(@RestPath("role_id") long roleId,
            @RestPath("permission_id") long permissionId) {
        return rbac.grant(Caller.of(token), roleId, permissionId, false).map(RoleWithPermissions::of);
    }
}
