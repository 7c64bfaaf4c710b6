package io.dmlp.inference.rest;

import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.inference.domain.Prediction;
import io.dmlp.inference.service.BatchPredictions;
import io.dmlp.inference.service.Forecasts;
import io.dmlp.inference.service.PredictionQueries;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.service.JobLifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import static io.dmlp.common.web.QueryParameters.required;

/**
 * Predictions that run on Ray: a batch over a prediction dataset, and forecasts beyond what a model stored at
 * training time; the state of one, and the jobs' callbacks (credential-checked, not routed by the gateway).
 */
@Path("/api/v1/inference")
public class JobPredictionResource {

    public record BatchRequest(@NotNull Long trainId, @NotNull Long datasetId) {
    }

    /** The guide's 202 body, with the prediction to follow and its Ray job. */
    public record BatchStarted(String message, int statusCode, long predictionId, String rayJobId) {
    }

    /**
     * A prediction's state: {@code status} its job's, {@code result_path} the result CSV's location and
     * {@code file_id} the CSV as a file of the input dataset (once dataset-service registered it).
     */
    public record Result(long predictionId, String status, String resultPath, Long fileId, Long datasetId,
            Long noOfRecords, Double accuracy, String rayJobId, String error) {
    }

    public record Received(String status, String message) {
    }

    private final BatchPredictions batches;
    private final Forecasts forecasts;
    private final PredictionQueries queries;
    private final JobLifecycle lifecycle;
    private final JsonWebToken token;

    public JobPredictionResource(BatchPredictions batches, Forecasts forecasts, PredictionQueries queries,
            JobLifecycle lifecycle, JsonWebToken token) {
        this.batches = batches;
        this.forecasts = forecasts;
        this.queries = queries;
        this.lifecycle = lifecycle;
        this.token = token;
    }

    /**
     * Starts a batch prediction of a dataset uploaded for prediction (usage {@code p}) with a model: 404 for a model
     * or dataset the caller's tenant does not have; 422 for a forecaster, a dataset not valid, for training, or
     * without one of the model's feature columns.
     */
    @POST
    @Path("/batchPrediction")
    @RolesAllowed(Permission.Names.RUN_INFERENCE)
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = BatchStarted.class, responseCode = "202")
    public Uni<RestResponse<BatchStarted>> batchPrediction(@Valid @NotNull BatchRequest request,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return batches.submit(Caller.of(token), request.trainId(), request.datasetId(), authorization)
                .map(started -> RestResponse.status(Response.Status.ACCEPTED, new BatchStarted(
                        "Batch prediction job started successfully.", 202, started.prediction().id,
                        started.job().id)));
    }

    /** The same as {@code /batchPrediction}. */
    @POST
    @Path("/batch-prediction")
    @RolesAllowed(Permission.Names.RUN_INFERENCE)
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(value = BatchStarted.class, responseCode = "202")
    public Uni<RestResponse<BatchStarted>> batchPredictionAlias(@Valid @NotNull BatchRequest request,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return batchPrediction(request, authorization);
    }

    /** A batch or forecast prediction's state and result; 404 for another tenant's. */
    @GET
    @Path("/result")
    @RolesAllowed(Permission.Names.VIEW)
    public Uni<Result> result(@RestQuery("prediction_id") Long predictionId) {
        Caller caller = Caller.of(token);
        long id = required("prediction_id", predictionId);
        return queries.one(caller, id).chain(entry -> {
            RayJob job = entry.job();
            return job == null || job.status.terminal() ? Uni.createFrom().item(entry)
                    // Compared with Ray first; read again when that (or its result meanwhile) ended it.
                    : lifecycle.refresh(job.id).chain(latest -> latest == null ? Uni.createFrom().item(entry)
                            : latest.status.terminal() ? queries.one(caller, id)
                            : Uni.createFrom().item(new PredictionQueries.Entry(entry.prediction(), latest)));
        }).map(entry -> {
            Prediction p = entry.prediction();
            RayJob job = entry.job();
            return new Result(p.id, entry.status(), p.resultPath, p.fileId, p.datasetId, p.records, p.accuracy,
                    p.rayJobId, job == null ? null : job.error);
        });
    }

    /**
     * The next {@code steps} points of series {@code unique_id}: at once from the forecast the model stored, or from
     * a Ray job the request waits for (504 naming it when it takes longer). 422 for a model that does not forecast,
     * a frequency not the model's, or steps out of range; 404 for an unknown series.
     */
    @POST
    @Path("/forecast")
    @RolesAllowed(Permission.Names.RUN_INFERENCE)
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(Forecasts.Answer.class)
    @APIResponse(responseCode = "504", ref = ErrorResponsesFilter.GATEWAY_TIMEOUT)
    public Uni<Forecasts.Answer> forecast(@NotNull Forecasts.Request request,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return forecasts.forecast(Caller.of(token), request, authorization);
    }

    /**
     * The batch job's callback: authenticated by the credential bound to that job ({@code Authorization: Bearer}),
     * not by a user's token, before its JSON body (at most 1 MiB) is read.
     */
    @POST
    @Path("/batch-result")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponseSchema(Received.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Received> batchResult(@Context RoutingContext request) {
        return batches.complete(request).replaceWith(new Received("success", "Result received"));
    }

    /** The forecast job's callback, under the same rule as {@code /batch-result}. */
    @POST
    @Path("/forecast-result")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponseSchema(Received.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Received> forecastResult(@Context RoutingContext request) {
        return forecasts.complete(request).replaceWith(new Received("success", "Result received"));
    }
}
