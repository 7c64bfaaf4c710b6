package io.dmlp.dataset.rest;

import io.dmlp.common.error.ApiExceptionMapper;
import io.dmlp.common.error.BadRequestException;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.Arrays;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser.MalformedMessageException;

/**
 * A multipart request the framework's form parser cannot read fails before any resource method runs: a body cut
 * off or without its boundary with an {@link IOException}, an empty {@code boundary=} with an
 * {@link IndexOutOfBoundsException} from its header parsing, a part header line it cannot parse with its
 * {@link MalformedMessageException}. All are the client's fault, a 400, not a 500. The same exceptions thrown
 * anywhere else keep the common mapping.
 */
public class MalformedMultipartMapper {

    private static final String[] PARSER = {"org.jboss.resteasy.reactive.server.core.multipart.",
        "org.jboss.resteasy.reactive.common.headers."};
    private static final ApiExceptionMapper ERRORS = new ApiExceptionMapper();

    @ServerExceptionMapper({IOException.class, IndexOutOfBoundsException.class, MalformedMessageException.class})
    public Response toResponse(Exception failure, UriInfo uri, Request request) {
        boolean fromParser = Arrays.stream(failure.getStackTrace())
                .map(StackTraceElement::getClassName)
                .filter(name -> !name.startsWith("java."))
                .findFirst()
                .filter(name -> Arrays.stream(PARSER).anyMatch(name::startsWith))
                .isPresent();
        return ERRORS.toResponse(fromParser ? new BadRequestException("The multipart request is malformed (its "
                + "boundary or its body); send multipart/form-data with a 'files' part.") : failure, uri, request);
    }
}
