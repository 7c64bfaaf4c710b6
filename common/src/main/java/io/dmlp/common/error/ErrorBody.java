package io.dmlp.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The one error body every service and the gateway answer with:
 * {@code {"status_code": 422, "message": "...", "details": [...], "request_id": "..."}}.
 * {@code details} is left out when empty.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(
        @JsonProperty("status_code") int statusCode,
        @JsonProperty("message") String message,
        @JsonProperty("details") List<?> details,
        @JsonProperty("request_id") String requestId) {

    public ErrorBody {
        details = details == null ? List.of() : details;
    }
}
