package io.dmlp.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.common.web.Paging;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.training.domain.ColumnRole;
import io.dmlp.training.domain.ProblemType;
import io.dmlp.training.domain.TrainingPlan;
import io.dmlp.training.domain.TrainingRun;
import io.dmlp.training.service.FeatureImportanceService;
import io.dmlp.training.service.ModelService;
import io.dmlp.training.service.ModelViews;
import io.dmlp.training.service.TrainingDetailsService;
import io.dmlp.training.service.TrainingDetailsService.DatasetColumn;
import io.dmlp.training.service.TrainingJobs;
import io.dmlp.training.service.TrainingSubmission;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import static io.dmlp.common.web.QueryParameters.required;

/** Training (API guide module 8): predictors, their runs and models, SHAP, and Ray's callbacks. */
@Path("/api/v1/train")
public class TrainingResource {

    /** Printable text without control characters. */
    private static final String PRINTABLE = "[^\\p{Cntrl}]*";

    public record DetailsRequest(@NotNull @Positive Long datasetId,
            @NotBlank @Size(max = 100) @Pattern(regexp = PRINTABLE) String predictorName,
            @Size(max = 100) @Pattern(regexp = PRINTABLE) String domain,
            @NotBlank String problemType) {
    }

    public record DetailsResponse(long datasetId, String predictorName, String domain, ProblemType problemType,
            List<DatasetColumn> datasetSchema, List<ColumnRole> attributes) {
    }

    /** A column's role in a run; {@code data_type} is optional and must be the dataset's when given. */
    public record ColumnRequest(@Size(max = 255) String columnName, @Size(max = 20) String dataType,
            @Size(max = 20) String attributeName) {
    }

    public record TrainRequest(@NotNull @Positive Long datasetId,
            @NotBlank @Size(max = 100) @Pattern(regexp = PRINTABLE) String predictorName,
            @Size(max = 100) @Pattern(regexp = PRINTABLE) String domain,
            @NotBlank String problemType,
            @NotEmpty @Size(max = 5000) List<@NotNull ColumnRequest> columns,
            Boolean isIncremental,
            @Size(max = 40) String algorithm,
            Boolean shapEnabled) {
    }

    /** The guide's answer, with the run's job, preprocess record and pinned snapshot. */
    public record TrainResponse(long id, UUID tenantId, String predictorName, ProblemType problemType,
            String createdBy, long datasetId, OffsetDateTime createdAt, OffsetDateTime modifiedAt,
            String trainingStatus, String rayJobId, long preprocessId, long snapshotId, String algorithm) {
    }

    /**
     * A run as the list shows it: the guide's fields ({@code train_status} and {@code ml_model_status} are the job's
     * state, {@code training_status} the same capitalised; {@code algorithm} the one fitted once completed), and
     * beyond them its job, snapshot, parent and failure reason.
     */
    public record RunItem(UUID tenantId, String predictorName, long preprocessId, ProblemType problemType,
            String domain, String createdBy, long id, long datasetId, String datasetName, String dataSource,
            OffsetDateTime createdAt, OffsetDateTime modifiedAt, String algorithm, Double accuracy,
            String mlModelStatus, String trainStatus, String trainingStatus, String rayJobId, long snapshotId,
            Long parentTrainId, boolean shapEnabled, String error) {
    }

    public record RunPage(long total, List<RunItem> data) {
    }

    public record Deleted(int statusCode, String message) {
    }

    public record UpdateRequest(@NotNull @Positive Long trainId, @NotNull @Positive Long preprocessId) {
    }

    public record Updated(String data, int statusCode, String message) {
    }

    public record Received(String status, String message) {
    }

    public record Schema(List<JsonNode> schema) {
    }

    public record ShapStarted(String status, String message, String shapJobId) {
    }

    /** {@code status}: the SHAP job's state; {@code feature_importance} once completed (shares summing to 1). */
    public record FeatureImportance(JsonNode featureImportance, String status, String shapJobId, String error) {
    }

    /**
     * The guide's summary: {@code model_summary} holds the model and its hold-out metrics (classification accuracy,
     * precision, recall, f1_score, roc_auc; regression rmse, mae, r2; forecast mape, smape, mase, mae), the
     * confusion matrix with its labels for classifiers; beyond the guide the pinned snapshot, the ONNX parity check,
     * the candidates {@code auto} tried, the rows used and the
     * final fit's seconds.
     */
    public record ModelSummary(JsonNode modelSummary, JsonNode confusionMatrix, JsonNode labels, long trainId,
            String predictorName, ProblemType problemType, long datasetId, long snapshotId, long preprocessId,
            JsonNode parity, JsonNode candidates, JsonNode rows, JsonNode fitSeconds, JsonNode forecast) {
    }

    private final TrainingDetailsService details;
    private final TrainingSubmission submission;
    private final ModelService models;
    private final TrainingJobs trainingJobs;
    private final FeatureImportanceService importance;
    private final ModelViews views;
    private final JsonWebToken token;

    public TrainingResource(TrainingDetailsService details, TrainingSubmission submission, ModelService models,
            TrainingJobs trainingJobs, FeatureImportanceService importance, ModelViews views, JsonWebToken token) {
        this.details = details;
        this.submission = submission;
        this.models = models;
        this.trainingJobs = trainingJobs;
        this.importance = importance;
        this.views = views;
        this.token = token;
    }

    /**
     * The dataset's columns and the column roles valid for the problem type, to configure a training run. The
     * permission is checked before the body is read.
     */
    @POST
    @Path("/get_details")
    @RolesAllowed(Permission.Names.TRAIN_MODELS)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DetailsResponse> getDetails(@Valid @NotNull DetailsRequest request,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return details.details(authorization, request.datasetId(), request.problemType())
                .map(found -> new DetailsResponse(found.datasetId(), request.predictorName(), request.domain(),
                        found.problemType(), found.datasetSchema(), found.attributes()));
    }

    /**
     * Creates a run of a predictor and submits its Ray job; every check comes first (422 naming the field, 404 for
     * an unknown dataset or predictor, 409 for a predictor name in use).
     */
    @POST
    @Path("/")
    @RolesAllowed(Permission.Names.TRAIN_MODELS)
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(TrainResponse.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<TrainResponse> train(@Valid @NotNull TrainRequest request,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return submission.submit(Caller.of(token), new TrainingSubmission.Request(request.datasetId(),
                        request.predictorName(), request.domain(), request.problemType(), request.columns().stream()
                                .map(c -> new TrainingPlan.Requested(c.columnName(), c.dataType(), c.attributeName()))
                                .toList(),
                        Boolean.TRUE.equals(request.isIncremental()), request.algorithm(),
                        Boolean.TRUE.equals(request.shapEnabled()), authorization))
                .map(submitted -> {
                    TrainingRun run = submitted.run();
                    return new TrainResponse(run.id, run.tenantId, run.predictorName, run.problemType, run.createdBy,
                            run.datasetId, run.createdAt, run.modifiedAt, submitted.job().status.value(),
                            submitted.job().id, run.preprocessId, run.snapshotId, run.algorithm);
                });
    }

    @GET
    @Path("/list")
    public Uni<RunPage> list(@RestQuery @DefaultValue("0") int skip, @RestQuery @DefaultValue("100") int limit) {
        Paging.check(skip, limit);
        return models.list(Caller.of(token), skip, limit).map(this::page);
    }

    /** As the list, after every unfinished job of the tenant was compared with Ray. */
    @GET
    @Path("/refresh")
    public Uni<RunPage> refresh(@RestQuery @DefaultValue("0") int skip, @RestQuery @DefaultValue("100") int limit) {
        Paging.check(skip, limit);
        return models.refresh(Caller.of(token), skip, limit).map(this::page);
    }

    @DELETE
    @Path("/delete/{id}")
    public Uni<Deleted> delete(@RestPath("id") long id) {
        return models.delete(Caller.of(token), id).replaceWith(new Deleted(200,
                "Training job deleted successfully"));
    }

    /** Points a model at another preprocess record reading the same columns and target (409 otherwise). */
    @POST
    @Path("/update/")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponseSchema(Updated.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Updated> update(@Valid @NotNull UpdateRequest request) {
        return models.update(Caller.of(token), request.trainId(), request.preprocessId())
                .replaceWith(new Updated("Model updated successfully", 200, "Success"));
    }

    /**
     * The training job's callback: authenticated by the credential bound to that job ({@code Authorization:
     * Bearer}), not by a user's token, before its JSON body (at most 1 MiB) is read. Not routed by the gateway.
     */
    @POST
    @Path("/result")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponseSchema(Received.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Received> result(@Context RoutingContext request) {
        return trainingJobs.complete(request).replaceWith(new Received("success", "Result received"));
    }

    @GET
    @Path("/download-schema/{train_id}")
    public Uni<Schema> downloadSchema(@RestPath("train_id") long trainId) {
        return models.schema(Caller.of(token), trainId).map(schema -> {
            List<JsonNode> columns = new ArrayList<>();
            schema.forEach(columns::add);
            return new Schema(columns);
        });
    }

    @GET
    @Path("/view-feature-importance")
    public Uni<FeatureImportance> viewFeatureImportance(@RestQuery("train_id") Long trainId) {
        return importance.view(Caller.of(token), required("train_id", trainId)).map(view -> new FeatureImportance(
                view.featureImportance(), view.job().status.value(), view.job().id, view.job().error));
    }

    /** Starts a SHAP job on a completed model (409 while it is not, or while another SHAP job of it runs). */
    @GET
    @Path("/generate-feature-importance")
    @APIResponseSchema(ShapStarted.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<ShapStarted> generateFeatureImportance(@RestQuery("train_id") Long trainId) {
        return importance.generate(Caller.of(token), required("train_id", trainId)).map(job -> new ShapStarted(
                "success", "Feature importance job submitted successfully.", job.id));
    }

    /** The SHAP job's callback, under the same rule as {@code /train/result}. */
    @POST
    @Path("/shap-result")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponseSchema(Received.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<Received> shapResult(@Context RoutingContext request) {
        return importance.complete(request).replaceWith(new Received("success", "SHAP result received"));
    }

    @DELETE
    @Path("/delete-feature-importance/{train_id}")
    public Uni<Deleted> deleteFeatureImportance(@RestPath("train_id") long trainId) {
        return importance.delete(Caller.of(token), trainId).replaceWith(new Deleted(200,
                "Feature importance results deleted successfully"));
    }

    /** A completed model's summary; 409 while the run has not completed. */
    @GET
    @Path("/model-summary")
    @APIResponseSchema(ModelSummary.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<ModelSummary> modelSummary(@RestQuery("train_id") Long trainId) {
        long id = required("train_id", trainId);
        return models.get(Caller.of(token), id).map(view -> {
            RayJob job = view.job();
            if (job.status != JobStatus.COMPLETED) {
                throw new ConflictException("Run " + id + " has no model yet: it is "
                        + job.status.value() + (job.error == null ? "." : ": " + job.error));
            }
            TrainingRun run = view.run();
            JsonNode result = view.result();
            var summary = views.summary(run.problemType, result);
            summary.put("model", result.path("algorithm").asText());
            JsonNode metrics = result.path("metrics");
            return new ModelSummary(summary, metrics.get("confusion_matrix"), metrics.get("labels"), run.id,
                    run.predictorName, run.problemType, run.datasetId, run.snapshotId, run.preprocessId,
                    result.get("parity"), result.get("candidates"), result.get("rows"), result.get("fit_seconds"),
                    result.get("forecast"));
        });
    }

    private RunPage page(ModelService.Page page) {
        return new RunPage(page.total(), page.runs().stream().map(view -> {
            TrainingRun run = view.run();
            String status = view.job() == null ? "failed" : view.job().status.value();
            String algorithm = view.result() != null ? view.result().path("algorithm").asText(run.algorithm)
                    : run.algorithm;
            return new RunItem(run.tenantId, run.predictorName, run.preprocessId, run.problemType, run.domain,
                    run.createdBy, run.id, run.datasetId, run.datasetName, run.dataSource, run.createdAt,
                    run.modifiedAt, algorithm, views.accuracy(run.problemType, view.result()), status, status,
                    Character.toUpperCase(status.charAt(0)) + status.substring(1), run.rayJobId, run.snapshotId,
                    run.parentTrainId, run.shapEnabled, view.job() == null ? null : view.job().error);
        }).toList());
    }
}
