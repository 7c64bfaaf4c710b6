package io.dmlp.training.rest;

import io.dmlp.common.security.Permission;
import io.dmlp.training.domain.ColumnRole;
import io.dmlp.training.domain.ProblemType;
import io.dmlp.training.service.TrainingDetailsService;
import io.dmlp.training.service.TrainingDetailsService.DatasetColumn;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestHeader;

/** Training (API guide module 8). */
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

    private final TrainingDetailsService details;

    public TrainingResource(TrainingDetailsService details) {
        this.details = details;
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
}
