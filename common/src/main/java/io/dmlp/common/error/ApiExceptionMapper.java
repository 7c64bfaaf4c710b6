package io.dmlp.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.dmlp.common.web.RequestIds;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one exception mapper of every service: each failure becomes {@link ErrorBody} through
 * {@link ErrorMapping}. Several types are listed because the framework ships its own, more specific
 * mappers (Jackson, validation) that would otherwise answer in their own shapes.
 */
public class ApiExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

    @ServerExceptionMapper({Throwable.class, WebApplicationException.class, ConstraintViolationException.class,
            JsonProcessingException.class, MismatchedInputException.class,
            io.quarkus.security.AuthenticationFailedException.class, io.quarkus.security.UnauthorizedException.class,
            io.quarkus.security.ForbiddenException.class})
    public Response toResponse(Throwable failure, UriInfo uri, Request request) {
        ErrorMapping.Mapped mapped = ErrorMapping.map(failure);
        String message = mapped.message();
        if (mapped.status() == 404 && failure instanceof jakarta.ws.rs.NotFoundException) {
            message = "No endpoint " + request.getMethod() + " " + uri.getPath();
        }
        if (mapped.serverFault()) {
            LOG.errorf(failure, "Unhandled failure on %s %s", request.getMethod(), uri.getPath());
        } else {
            LOG.debugf("%s %s answered %d: %s", request.getMethod(), uri.getPath(), mapped.status(), message);
        }
        Response.ResponseBuilder response = Response.status(mapped.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(mapped.status(), message, mapped.details(), RequestIds.current()));
        mapped.headers().forEach(response::header);
        return response.build();
    }
}
