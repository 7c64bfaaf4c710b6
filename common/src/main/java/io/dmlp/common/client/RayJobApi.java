package io.dmlp.common.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * The part of Ray's dashboard API the platform uses (Job Submission, runtime-env packages, version), as a Quarkus
 * REST Client. Every method answers the raw response: {@link RayJobClient} reads Ray's statuses itself. A null
 * {@code authorization} (a Ray without token authentication) sends no header.
 */
@Path("/api")
public interface RayJobApi {

    String AUTHORIZATION = "Authorization";

    /** What {@code POST /api/jobs/} takes. */
    record JobSubmission(@JsonProperty("submission_id") String submissionId, String entrypoint,
            @JsonProperty("runtime_env") Map<String, Object> runtimeEnv, Map<String, String> metadata) {
    }

    @GET
    @Path("/version")
    Uni<Response> version(@HeaderParam(AUTHORIZATION) String authorization);

    @GET
    @Path("/packages/gcs/{name}")
    Uni<Response> findPackage(@PathParam("name") String name, @HeaderParam(AUTHORIZATION) String authorization);

    @PUT
    @Path("/packages/gcs/{name}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Uni<Response> uploadPackage(@PathParam("name") String name, @HeaderParam(AUTHORIZATION) String authorization,
            byte[] zip);

    @POST
    @Path("/jobs/")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> submit(@HeaderParam(AUTHORIZATION) String authorization, JobSubmission submission);

    @GET
    @Path("/jobs/{id}")
    Uni<Response> status(@PathParam("id") String submissionId, @HeaderParam(AUTHORIZATION) String authorization);

    @GET
    @Path("/jobs/{id}/logs")
    Uni<Response> logs(@PathParam("id") String submissionId, @HeaderParam(AUTHORIZATION) String authorization);

    @POST
    @Path("/jobs/{id}/stop")
    Uni<Response> stop(@PathParam("id") String submissionId, @HeaderParam(AUTHORIZATION) String authorization);
}
