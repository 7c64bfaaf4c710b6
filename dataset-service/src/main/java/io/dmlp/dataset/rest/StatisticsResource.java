package io.dmlp.dataset.rest;

import static io.dmlp.common.web.QueryParameters.required;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.dmlp.dataset.service.StatisticsService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestQuery;

/** Dataset statistics computed on Ray (the guide's generate_statistics, plus reading the result). */
@Path("/api/v1")
public class StatisticsResource {

    public record Started(String status, String message, String jobId) {
    }

    /**
     * {@code status}: submitted_to_ray, running, completed, failed or cancelled (the lifecycle every Ray job shares);
     * {@code statistics} once completed.
     */
    public record Statistics(long datasetId, String jobId, String status, OffsetDateTime createdAt,
            OffsetDateTime startedAt, OffsetDateTime finishedAt, String error, JsonNode statistics) {
    }

    public record Received(String status, String message) {
    }

    private final StatisticsService statistics;
    private final JsonWebToken token;

    public StatisticsResource(StatisticsService statistics, JsonWebToken token) {
        this.statistics = statistics;
        this.token = token;
    }

    @POST
    @Path("/dataset/generate_statistics")
    public Uni<Started> generate(@RestQuery("dataset_id") Long datasetId) {
        return statistics.start(Caller.of(token), required("dataset_id", datasetId)).map(job -> new Started("success",
                "Statistics generation job submitted successfully; GET /api/v1/dataset/statistics?dataset_id="
                        + job.ownerId + " shows its progress and result.", job.id));
    }

    @GET
    @Path("/dataset/statistics")
    public Uni<Statistics> latest(@RestQuery("dataset_id") Long datasetId) {
        return statistics.latest(Caller.of(token), required("dataset_id", datasetId)).map(view -> new Statistics(
                datasetId, view.job().id, view.job().status.value(), view.job().submittedAt, view.job().startedAt,
                view.job().finishedAt, view.job().error, view.statistics()));
    }

    /**
     * The job's callback: authenticated by the credential bound to that job ({@code Authorization: Bearer}), not
     * by a user's token, before its JSON body (at most 1 MiB) is read. Not routed by the gateway.
     */
    @POST
    @Path("/dataset/statistics/result")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponseSchema(Received.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Received> result(@Context RoutingContext request) {
        return statistics.complete(request).replaceWith(new Received("success", "Result received"));
    }
}
