package io.dmlp.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.ErrorBody;
import io.dmlp.common.web.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The gateway's own answers, in the same body the services use. */
public final class ErrorResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorResponses() {
    }

    public static Buffer body(int status, String message, List<?> details, String requestId) {
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(new ErrorBody(status, message, details, requestId)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Error body is not serialisable", e);
        }
    }

    public static void send(RoutingContext ctx, int status, String message, List<?> details) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body(status, message, details, ctx.get(RequestIds.MDC_KEY)));
    }

    /**
     * Refuses a request whose body the gateway will not read: answers, then closes the connection, so the
     * client cannot keep streaming into it (the HTTP server would otherwise read and discard the rest).
     */
    public static void refuseBody(RoutingContext ctx, int status, String message) {
        closeAfterResponse(ctx.request());
        send(ctx, status, message, List.of());
    }

    /** Says {@code Connection: close} and closes the connection once the response is written. */
    static void closeAfterResponse(HttpServerRequest request) {
        request.response().putHeader("Connection", "close")
                .endHandler(ignored -> request.connection().close());
    }
}
