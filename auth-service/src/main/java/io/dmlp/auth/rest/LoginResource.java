package io.dmlp.auth.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.auth.rest.Dtos.CallerResponse;
import io.dmlp.auth.rest.Dtos.ResetPasswordRequest;
import io.dmlp.auth.rest.Dtos.StatusCode;
import io.dmlp.auth.rest.Dtos.StatusText;
import io.dmlp.auth.rest.Dtos.TokenResponse;
import io.dmlp.auth.repository.UserRepository;
import io.dmlp.auth.service.LoginService;
import io.dmlp.auth.service.UserService;
import io.dmlp.common.error.BadRequestException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/** Log-in, tokens and sessions (API guide module 1, and validate-token). */
@Path("/api/v1")
public class LoginResource {

    /** Longest username or password we look at; longer input cannot match and is refused before hashing. */
    static final int MAX_CREDENTIAL_LENGTH = 1024;

    private final LoginService logins;
    private final UserService userService;
    private final UserRepository users;
    private final JsonWebToken token;
    private final ObjectMapper json;

    public LoginResource(LoginService logins, UserService userService, UserRepository users, JsonWebToken token,
            ObjectMapper json) {
        this.json = json;
        this.logins = logins;
        this.userService = userService;
        this.users = users;
        this.token = token;
    }

    @POST
    @Path("/login/access-token")
    @PermitAll
    @SecurityRequirements
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @APIResponseSchema(TokenResponse.class)
    @APIResponse(responseCode = "401", ref = ErrorResponsesFilter.UNAUTHORIZED)
    @APIResponse(responseCode = "429", ref = ErrorResponsesFilter.TOO_MANY_REQUESTS)
    public Uni<TokenResponse> login(@RestForm("grant_type") String grantType, @RestForm String username,
            @RestForm String password, @RestHeader("X-Forwarded-For") String forwardedFor,
            HttpServerRequest request) {
        if (grantType != null && !grantType.isBlank() && !"password".equals(grantType)) {
            throw new BadRequestException("grant_type must be 'password'.");
        }
        requireCredential("username", username);
        requireCredential("password", password);
        return logins.login(username, password, clientAddress(forwardedFor, request))
                .map(outcome -> TokenResponse.of(outcome.orThrow()));
    }

    /**
     * The client a log-in comes from, for the lockout: the gateway replaces any client-sent X-Forwarded-For with
     * the peer it sees, so the last entry is the address the gateway saw; without the header (a direct call on
     * the internal network) it is the peer itself.
     */
    static String clientAddress(String forwardedFor, HttpServerRequest request) {
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            return forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).strip();
        }
        return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    }

    @POST
    @Path("/login/test-token")
    @WithSession
    public Uni<CallerResponse> testToken() {
        Caller caller = Caller.of(token);
        return logins.requireActiveSession(caller).chain(user -> users.roleNames(user.id)
                .chain(roles -> users.permissionNames(user.id).map(permissions -> new CallerResponse(user.id,
                        user.tenantId.toString(), user.firstName, user.lastName, user.email, user.username,
                        user.active, roles, permissions))));
    }

    @GET
    @Path("/validate-token")
    public Uni<StatusText> validateToken() {
        return logins.requireActiveSession(Caller.of(token)).replaceWith(new StatusText("success", "Token is valid."));
    }

    @POST
    @Path("/refresh")
    @PermitAll
    @SecurityRequirements
    @APIResponseSchema(TokenResponse.class)
    @APIResponse(responseCode = "401", ref = ErrorResponsesFilter.UNAUTHORIZED)
    public Uni<TokenResponse> refresh(@RestQuery("refresh_token") String refreshToken) {
        requireCredential("refresh_token", refreshToken);
        return logins.refresh(refreshToken).map(outcome -> TokenResponse.of(outcome.orThrow()));
    }

    @POST
    @Path("/logout")
    @PermitAll
    @SecurityRequirements
    @APIResponseSchema(StatusCode.class)
    @APIResponse(responseCode = "401", ref = ErrorResponsesFilter.UNAUTHORIZED)
    public Uni<StatusCode> logout(@RestQuery("refresh_token") String refreshToken) {
        requireCredential("refresh_token", refreshToken);
        return logins.logout(refreshToken).replaceWith(new StatusCode(200, "User successfully logged out"));
    }

    /**
     * The guide's form (everything in the query string) or a JSON body, which keeps passwords out of URLs;
     * body fields win over query parameters.
     */
    @POST
    @Path("/reset-password")
    public Uni<StatusCode> resetPassword(@RestQuery("user_name") String userName,
            @RestQuery("new_password") String newPassword, @RestQuery("current_password") String currentPassword,
            String rawBody) throws JsonProcessingException {
        // Read by hand: the guide's curl sends no body and no content type, which a typed body would refuse.
        ResetPasswordRequest body = rawBody == null || rawBody.isBlank() ? null
                : json.readValue(rawBody, ResetPasswordRequest.class);
        String user = body != null && body.userName() != null ? body.userName() : userName;
        String password = body != null && body.newPassword() != null ? body.newPassword() : newPassword;
        String current = body != null && body.currentPassword() != null ? body.currentPassword() : currentPassword;
        requireCredential("user_name", user);
        requireCredential("new_password", password);
        return reset(user, password, current);
    }

    private Uni<StatusCode> reset(String userName, String newPassword, String currentPassword) {
        Caller caller = Caller.of(token);
        return logins.requireActiveSession(caller)
                .chain(() -> userService.resetPassword(caller, userName, newPassword, currentPassword))
                .replaceWith(new StatusCode(200, "Password has been reset successfully"));
    }

    private static void requireCredential(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new UnprocessableEntityException("'" + field + "' is required.");
        }
        if (value.length() > MAX_CREDENTIAL_LENGTH) {
            throw new UnprocessableEntityException("'" + field + "' is longer than " + MAX_CREDENTIAL_LENGTH
                    + " characters.");
        }
    }
}
