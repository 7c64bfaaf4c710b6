package io.dmlp.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns any failure into the status, message and details a client sees. Pure and framework-free so
 * the gateway, every service and the tests share one table. Only {@link ApiException} messages and
 * messages we compose here reach the client; anything unexpected becomes a bland 500.
 */
public final class ErrorMapping {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** The client-facing outcome of a failure; {@code serverFault} marks what must be logged as an error. */
    public record Mapped(int status, String message, List<?> details, Map<String, String> headers,
            boolean serverFault) {

        public ErrorBody body(String requestId) {
            return new ErrorBody(status, message, details, requestId);
        }
    }

    static final String INTERNAL_ERROR = "Internal server error. Quote the request id when reporting this.";
    static final String WRONG_PARAMETER_TYPE =
            "A path or query parameter has a value of the wrong type, e.g. text where a number is expected.";

    private ErrorMapping() {
    }

    public static Mapped map(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof TooManyRequestsException tooMany) {
            return new Mapped(429, tooMany.getMessage(), tooMany.details(),
                    Map.of("Retry-After", Long.toString(tooMany.retryAfterSeconds())), false);
        }
        if (failure instanceof ApiException api) {
            return clientError(api.status(), api.getMessage(), api.details());
        }
        if (failure instanceof io.quarkus.security.AuthenticationFailedException
                || failure instanceof io.quarkus.security.UnauthorizedException) {
            return clientError(401, "Not authenticated: send a valid 'Authorization: Bearer <access token>'.",
                    List.of());
        }
        if (failure instanceof io.quarkus.security.ForbiddenException) {
            return clientError(403, "You do not have the permission this operation requires.", List.of());
        }
        if (failure instanceof ConstraintViolationException violations) {
            return clientError(422, "Request validation failed.", violationDetails(violations));
        }
        if (failure instanceof JsonProcessingException json) {
            return clientError(400, jsonMessage(json), List.of());
        }
        if (failure instanceof WebApplicationException && failure.getCause() instanceof JsonProcessingException json) {
            // How the framework reports a request body it could not read as JSON.
            return clientError(400, jsonMessage(json), List.of());
        }
        if (failure instanceof jakarta.ws.rs.NotFoundException && failure.getCause() != null
                && !(failure.getCause() instanceof WebApplicationException)) {
            // How the framework reports a path or query parameter it could not convert (JAX-RS says 404): the
            // value is what is wrong, not the resource.
            return clientError(400, WRONG_PARAMETER_TYPE, List.of());
        }
        if (isFaultToleranceFailure(failure)) {
            // A circuit breaker open or a timeout around a call to a dependency (Ray, S3, another service).
            return new Mapped(503, "A service this operation depends on is unavailable; try again shortly.",
                    List.of(), Map.of("Retry-After", "10"), false);
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status >= 500) {
                return new Mapped(status, reason(status), List.of(), Map.of(), true);
            }
            return clientError(status, reason(status), List.of());
        }
        return new Mapped(500, INTERNAL_ERROR, List.of(), Map.of(), true);
    }

    /** By name: services without the fault-tolerance library must still be able to load this class. */
    private static boolean isFaultToleranceFailure(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals("org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException")) {
                return true;
            }
        }
        return false;
    }

    /** Reactive pipelines wrap the real failure; answer for the cause the caller's input produced. */
    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof io.smallrye.mutiny.CompositeException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static Mapped clientError(int status, String message, List<?> details) {
        return new Mapped(status, message, details, Map.of(), false);
    }

    /** The standard reason phrase, e.g. "Method Not Allowed", for statuses the framework raises itself. */
    public static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }

    private static List<Map<String, String>> violationDetails(ConstraintViolationException violations) {
        return violations.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(v -> Map.of("field", leafName(v), "message", v.getMessage()))
                .collect(Collectors.toList());
    }

    /**
     * "create.arg0.templateName" → "template_name": clients know the JSON fields (snake_case everywhere), not Java
     * parameter paths or record components.
     */
    private static String leafName(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        return SNAKE_CASE.translate(dot < 0 ? path : path.substring(dot + 1));
    }

    /** Names where the JSON went wrong without echoing the client's input back. */
    private static String jsonMessage(JsonProcessingException json) {
        StringBuilder message = new StringBuilder("Malformed JSON body");
        if (json instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            message.append(": field '").append(field).append("' has the wrong type");
        } else if (json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            message.append(": field '").append(mapping.getPath().get(0).getFieldName()).append("' is invalid");
        }
        if (json.getLocation() != null && json.getLocation().getLineNr() > 0) {
            message.append(" (line ").append(json.getLocation().getLineNr())
                    .append(", column ").append(json.getLocation().getColumnNr()).append(')');
        }
        return message.append('.').toString();
    }
}
