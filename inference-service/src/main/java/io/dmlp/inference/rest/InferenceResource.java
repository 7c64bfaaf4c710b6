package io.dmlp.inference.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.common.web.Paging;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.domain.Prediction;
import io.dmlp.inference.service.DeployedModels;
import io.dmlp.inference.service.PredictionQueries;
import io.dmlp.inference.service.RealtimePredictions;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestQuery;

import static io.dmlp.common.web.QueryParameters.required;

/** Predictions with the tenant's models: real-time, the form to ask for one, and the prediction log. */
@Path("/api/v1/inference")
public class InferenceResource {

    /** A model's inputs as a form draws them: each feature with its type and default, the target, the record. */
    public record Form(long id, List<FormField> headers, String target, long preprocessId, String problemType) {
    }

    /** {@code default_value}: the template's default, else the imputer's value, else null. */
    public record FormField(String columnName, String dataType, String defaultValue) {
    }

    /**
     * A log entry, with the guide's fields; beyond them a real-time call's answer, a job's id and failure, and a
     * batch result's location and file.
     */
    public record PredictionItem(long predictionId, long trainId, OffsetDateTime date, Long datasetId,
            String predictorName, String predictionType, String inputData, String status, Long noOfRecords,
            Double accuracy, String problemType, String domainName, JsonNode output, String rayJobId, String error,
            String resultPath, Long fileId) {
    }

    public record PredictionPage(long total, List<PredictionItem> data) {
    }

    private final RealtimePredictions realtime;
    private final DeployedModels models;
    private final PredictionQueries queries;
    private final JsonWebToken token;
    private final ObjectMapper json;

    public InferenceResource(RealtimePredictions realtime, DeployedModels models, PredictionQueries queries,
            JsonWebToken token, ObjectMapper json) {
        this.realtime = realtime;
        this.models = models;
        this.queries = queries;
        this.token = token;
        this.json = json;
    }

    /**
     * One prediction in this service's JVM: {@code prediction}, the model's hold-out {@code accuracy} and, for a
     * classifier, each class's {@code probabilities}. 422 naming the field for an unknown feature, a value of the
     * wrong type, a preprocess record or target that is not the model's.
     */
    @POST
    @Path("/")
    @RolesAllowed(Permission.Names.RUN_INFERENCE)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RealtimePredictions.Answer> predict(RealtimePredictions.Request request) {
        return realtime.predict(Caller.of(token), request);
    }

    @GET
    @Path("/form-based-prediction")
    @RolesAllowed(Permission.Names.VIEW)
    public Form form(@RestQuery Long id) {
        DeployedModel model = models.visible(Caller.of(token), required("id", id));
        return new Form(model.trainId(), model.features().stream()
                .map(f -> new FormField(f.name(), f.type().canonical(), f.defaultValue())).toList(),
                model.target() == null ? null : model.target().name(), model.preprocessId(), model.problemType());
    }

    /** The model's prediction log, newest first: real-time calls, batch jobs and forecasts. */
    @GET
    @Path("/predictions")
    @RolesAllowed(Permission.Names.VIEW)
    public Uni<PredictionPage> predictions(@RestQuery("train_id") Long trainId,
            @RestQuery @DefaultValue("0") int skip, @RestQuery @DefaultValue("100") int limit) {
        Paging.check(skip, limit);
        return queries.ofModel(Caller.of(token), required("train_id", trainId), skip, limit)
                .map(page -> new PredictionPage(page.total(), page.entries().stream().map(this::item).toList()));
    }

    private PredictionItem item(PredictionQueries.Entry entry) {
        Prediction p = entry.prediction();
        return new PredictionItem(p.id, p.trainId, p.createdAt, p.datasetId, p.predictorName, p.type.name(),
                p.inputData, entry.status(), p.records, p.accuracy, p.problemType, p.domainName, read(p.output),
                p.rayJobId, entry.job() == null ? null : entry.job().error, p.resultPath, p.fileId);
    }

    private JsonNode read(String stored) {
        try {
            return stored == null ? null : json.readTree(stored);
        } catch (IOException e) {
            throw new IllegalStateException("A stored answer is unreadable", e);
        }
    }
}
