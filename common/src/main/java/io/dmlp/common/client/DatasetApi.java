package io.dmlp.common.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** The part of dataset-service's API other services read (Quarkus REST Client, raw responses for {@link ServiceClient}). */
@Path("/api/v1/dataset")
public interface DatasetApi {

    @GET
    @Path("/get_dataset_by_id")
    Uni<Response> dataset(@QueryParam("dataset_id") long datasetId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
