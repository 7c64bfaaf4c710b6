package io.dmlp.training.rest;

import io.dmlp.common.error.BadRequestException;
import io.dmlp.common.security.InternalCaller;
import io.dmlp.training.service.DeployableModels;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Services' own reads, with the service credential instead of a user's token; the gateway never routes
 * {@code /internal}. Not part of the public API.
 */
@Path("/internal/v1/models")
public class InternalModelResource {

    static final int MAX_LIMIT = 1000;

    private final InternalCaller internal;
    private final DeployableModels models;

    public InternalModelResource(InternalCaller internal, DeployableModels models) {
        this.internal = internal;
        this.models = models;
    }

    @GET
    @PermitAll
    @Operation(hidden = true)
    public Uni<DeployableModels.Page> list(@RestHeader(InternalCaller.HEADER) String credential,
            @RestQuery @DefaultValue("0") long after, @RestQuery @DefaultValue("200") int limit) {
        internal.require(credential);
        if (after < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("'after' must be >= 0 and 'limit' from 1 to " + MAX_LIMIT + ".");
        }
        return models.after(after, limit);
    }
}
