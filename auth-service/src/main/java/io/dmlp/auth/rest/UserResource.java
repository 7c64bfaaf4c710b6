package io.dmlp.auth.rest;

import io.dmlp.auth.rest.Dtos.CreateUserRequest;
import io.dmlp.auth.rest.Dtos.RoleAssignment;
import io.dmlp.auth.rest.Dtos.RoleWithPermissions;
import io.dmlp.auth.rest.Dtos.RolesPage;
import io.dmlp.auth.rest.Dtos.UserResponse;
import io.dmlp.auth.rest.Dtos.UserRoles;
import io.dmlp.auth.rest.Dtos.UsersPage;
import io.dmlp.auth.service.UserService;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.dmlp.common.web.Paging;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Users of a tenant (API guide module 2, plus activation and role membership). */
@Path("/api/v1/users")
public class UserResource {

    private final UserService users;
    private final JsonWebToken token;

    public UserResource(UserService users, JsonWebToken token) {
        this.users = users;
        this.token = token;
    }

    @POST
    @Path("/create-user")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created.", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserResponse.class)))
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Response> create(@Valid @NotNull CreateUserRequest request) {
        return users.create(Caller.of(token), new UserService.NewUser(request.tenantId(), request.firstName(),
                        request.lastName(), request.email(), request.username(), request.password()))
                .map(user -> Response.status(Response.Status.CREATED).entity(UserResponse.of(user)).build());
    }

    /** A page of the caller's tenant's users (all tenants, or {@code tenant_id}, for the platform admin). */
    @GET
    @Path("/read-users")
    public Uni<UsersPage> list(@RestQuery @DefaultValue("0") int skip, @RestQuery @DefaultValue("100") int limit,
            @RestQuery("tenant_id") String tenantId) {
        Paging.check(skip, limit);
        return users.list(Caller.of(token), tenantId, skip, limit)
                .map(page -> new UsersPage(page.users().stream().map(UserResponse::of).toList(), page.count()));
    }

    @GET
    @Path("/{user_id}")
    public Uni<UserResponse> get(@RestPath("user_id") long userId) {
        return users.get(Caller.of(token), userId).map(UserResponse::of);
    }

    @POST
    @Path("/{user_id}/deactivate")
    @APIResponseSchema(UserResponse.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<UserResponse> deactivate(@RestPath("user_id") long userId) {
        return users.setActive(Caller.of(token), userId, false).map(UserResponse::of);
    }

    @POST
    @Path("/{user_id}/activate")
    public Uni<UserResponse> activate(@RestPath("user_id") long userId) {
        return users.setActive(Caller.of(token), userId, true).map(UserResponse::of);
    }

    /** A page of the roles the user holds, each with its permissions (as {@code GET /rbac/roles} shows them). */
    @GET
    @Path("/{user_id}/roles")
    public Uni<RolesPage> listRoles(@RestPath("user_id") long userId, @RestQuery @DefaultValue("0") int skip,
            @RestQuery @DefaultValue("100") int limit) {
        Paging.check(skip, limit);
        return users.roles(Caller.of(token), userId, skip, limit).map(page -> new RolesPage(page.total(),
                page.roles().stream().map(RoleWithPermissions::of).toList()));
    }

    @POST
    @Path("/{user_id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserRoles> assignRole(@RestPath("user_id") long userId, @Valid @NotNull RoleAssignment request) {
        return users.assignRole(Caller.of(token), userId, request.roleId()).map(roles -> new UserRoles(userId, roles));
    }

    @DELETE
    @Path("/{user_id}/roles/{role_id}")
    public Uni<UserRoles> removeRole(@RestPath("user_id") long userId, @RestPath("role_id") long roleId) {
        return users.removeRole(Caller.of(token), userId, roleId).map(roles -> new UserRoles(userId, roles));
    }
}
