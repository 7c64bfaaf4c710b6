package io.dmlp.common.error;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.Map;

/** Raises each kind of failure so the real mapper's answers can be checked over HTTP. */
@PermitAll
@Path("/probe/errors")
public class ErrorProbeResource {

    public record Order(@NotBlank String name, @Positive int quantity) {
    }

    @GET
    @Path("/{kind}")
    public String raise(@PathParam("kind") String kind) {
        throw switch (kind) {
            case "not-found" -> new ResourceNotFoundException("Dataset 7 not found.");
            case "conflict" -> new ConflictException("Template 'sales' already exists.");
            case "invalid" -> new UnprocessableEntityException("Invalid template.")
                    .withDetails(List.of(Map.of("column", "price", "reason", "not a Float")));
            case "locked" -> new TooManyRequestsException("Too many failed logins.", 900);
            default -> new IllegalStateException("secret=hunter2 leaked?");
        };
    }

    @GET
    @Path("/typed")
    public int typed(@QueryParam("n") int n) {
        return n;
    }

    @POST
    @Path("/orders")
    public Order order(@Valid Order order) {
        return order;
    }
}
