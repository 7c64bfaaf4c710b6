package io.dmlp.inference.client;

import io.dmlp.common.security.InternalCaller;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** training-service's internal API (Quarkus REST Client, raw responses), called with the service credential. */
@Path("/internal/v1")
public interface TrainingApi {

    @GET
    @Path("/models")
    Uni<Response> models(@QueryParam("after") long after, @QueryParam("limit") int limit,
            @HeaderParam(InternalCaller.HEADER) String credential);
}
