package io.dmlp.dataset.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** The part of catalog-service's API dataset-service reads (Quarkus REST Client, raw responses). */
@Path("/api/v1/template")
public interface CatalogApi {

    @GET
    @Path("/{id}")
    Uni<Response> template(@PathParam("id") long templateId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
