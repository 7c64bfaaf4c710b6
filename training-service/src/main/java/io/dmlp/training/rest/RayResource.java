package io.dmlp.training.rest;

import static io.dmlp.common.web.QueryParameters.required;

import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.training.service.RayJobTermination;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestQuery;

/** Ray job control (API guide module 12). */
@Path("/api/v1/ray")
public class RayResource {

    public record Terminated(String status, String message) {
    }

    private final RayJobTermination termination;
    private final JsonWebToken token;

    public RayResource(RayJobTermination termination, JsonWebToken token) {
        this.termination = termination;
        this.token = token;
    }

    /**
     * Stops a running Ray job of the caller's tenant, of any kind ({@code usage}: training, shap, statistics,
     * batch_prediction, forecast); 404 for another tenant's job, 409 for one that has already ended.
     */
    @POST
    @Path("/terminate_ray_job")
    @RolesAllowed(Permission.Names.MANAGE_JOBS)
    public Uni<Terminated> terminate(@RestQuery("ray_job_id") String rayJobId, @RestQuery("usage") String usage) {
        String id = required("ray_job_id", rayJobId);
        return termination.terminate(Caller.of(token), id, required("usage", usage))
                .replaceWith(new Terminated("success", "Termination request for Ray job '" + id + "' has been sent."));
    }
}
