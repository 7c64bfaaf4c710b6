package io.dmlp.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.CompositeException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMappingTest {

    record Sample(int count) {
    }

    static Stream<Arguments> failures() throws Exception {
        return Stream.of(
                Arguments.of(new BadRequestException("Query parameter 'usage' is missing."), 400,
                        "Query parameter 'usage' is missing."),
                Arguments.of(new NotAuthenticatedException("Token expired."), 401, "Token expired."),
                Arguments.of(new PermissionDeniedException("Requires can_train_models."), 403,
                        "Requires can_train_models."),
                Arguments.of(new ResourceNotFoundException("Dataset 7 not found."), 404, "Dataset 7 not found."),
                Arguments.of(new ConflictException("Template 'sales' exists."), 409, "Template 'sales' exists."),
                Arguments.of(new PayloadTooLargeException("Body over 10 MiB."), 413, "Body over 10 MiB."),
                Arguments.of(new UnsupportedContentException("Not a CSV file."), 415, "Not a CSV file."),
                Arguments.of(new UnprocessableEntityException("usage must be t or p."), 422, "usage must be t or p."),
                Arguments.of(new DependencyUnavailableException("Ray is not reachable."), 503,
                        "Ray is not reachable."),
                Arguments.of(new GatewayTimeoutException("Forecast job forecast-1 did not finish within 60 s."), 504,
                        "Forecast job forecast-1 did not finish within 60 s."),
                Arguments.of(new CompletionException(new ConflictException("wrapped")), 409, "wrapped"),
                Arguments.of(new CompositeException(new ResourceNotFoundException("first"), new RuntimeException()),
                        404, "first"),
                Arguments.of(new NotFoundException(), 404, "Not Found"),
                // How the framework reports a path or query parameter it could not convert.
                Arguments.of(new NotFoundException(new NumberFormatException("For input string: \"abc\"")), 400,
                        ErrorMapping.WRONG_PARAMETER_TYPE),
                Arguments.of(new NotAllowedException("GET"), 405, "Method Not Allowed"),
                Arguments.of(new WebApplicationException(415), 415, "Unsupported Media Type"),
                // How the framework refuses a body media type no reader takes, and an Accept no writer produces.
                Arguments.of(new NotSupportedException(), 415, "Unsupported Media Type"),
                Arguments.of(new NotAcceptableException(), 406, "Not Acceptable"),
                Arguments.of(malformedJson(), 400, "Malformed JSON body (line 1, column 3)."),
                Arguments.of(wrongFieldType(), 400, "Malformed JSON body: field 'count' has the wrong type"),
                Arguments.of(new IllegalStateException("password=hunter2 at db:5432"), 500,
                        ErrorMapping.INTERNAL_ERROR),
                Arguments.of(new WebApplicationException(502), 502, "Bad Gateway"),
                Arguments.of(new org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException("open"),
                        503, "A service this operation depends on is unavailable"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void mapsEveryFailureToItsStatusAndAClientSafeMessage(Throwable failure, int status, String message) {
        ErrorMapping.Mapped mapped = ErrorMapping.map(failure);

        assertThat(mapped.status()).isEqualTo(status);
        assertThat(mapped.message()).startsWith(message);
        // A dependency away (503) or a job that outlasted its wait (504) is no fault of this service's code.
        assertThat(mapped.serverFault()).isEqualTo(status >= 500 && status != 503 && status != 504);
        ErrorBody body = mapped.body("req-1");
        assertThat(body.statusCode()).isEqualTo(status);
        assertThat(body.requestId()).isEqualTo("req-1");
    }

    @Test
    void neverLeaksTheMessageOfAnUnexpectedFailure() {
        ErrorMapping.Mapped mapped = ErrorMapping.map(new IllegalStateException("password=hunter2"));

        assertThat(mapped.message()).doesNotContain("hunter2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void keepsDetailsAndSendsRetryAfterForTooManyRequests() {
        ErrorMapping.Mapped tooMany = ErrorMapping.map(new TooManyRequestsException("Locked out.", 900));
        ErrorMapping.Mapped invalid = ErrorMapping.map(new UnprocessableEntityException("Invalid template.")
                .withDetails(List.of(Map.of("field", "data_type", "message", "unknown type 'Text'"))));

        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.headers()).containsEntry("Retry-After", "900");
        assertThat((List<Object>) invalid.details()).containsExactly(Map.of("field", "data_type", "message", "unknown type 'Text'"));
    }

    @Test
    void leavesEmptyDetailsOutOfTheJsonBody() throws Exception {
        String json = new ObjectMapper().writeValueAsString(new ErrorBody(404, "gone", List.of(), "r-9"));

        assertThat(json).isEqualTo("{\"status_code\":404,\"message\":\"gone\",\"request_id\":\"r-9\"}");
    }

    private static Exception malformedJson() {
        try {
            new ObjectMapper().readTree("{ x");
            throw new AssertionError("parsed");
        } catch (Exception e) {
            return e;
        }
    }

    private static Exception wrongFieldType() {
        try {
            new ObjectMapper().readValue("{\"count\": \"many\"}", Sample.class);
            throw new AssertionError("parsed");
        } catch (Exception e) {
            return e;
        }
    }
}
