package io.dmlp.gateway.routing;

import io.dmlp.gateway.config.GatewayConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Refuses oversized bodies before a byte reaches a service: uploads may be large, everything else small.
 * A small-limit route must declare its length; a chunked upload is bounded by the HTTP server's own
 * limit ({@code quarkus.http.limits.max-body-size}), which is set to the upload limit.
 */
final class BodyLimitHandler implements Handler<RoutingContext> {

    private final long maxBody;
    private final long maxUpload;
    private final Set<String> uploadPaths;

    BodyLimitHandler(GatewayConfig config) {
        this.maxBody = config.maxBodySize().asLongValue();
        this.maxUpload = config.maxUploadSize().asLongValue();
        this.uploadPaths = Set.copyOf(config.uploadPaths());
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean upload = uploadPaths.contains(ctx.normalizedPath());
        long limit = upload ? maxUpload : maxBody;
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (!upload && "chunked".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING))) {
                ErrorResponses.send(ctx, 411, "Send a Content-Length with bodies outside the upload endpoints.",
                        List.of());
                return;
            }
        } else {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                ErrorResponses.send(ctx, 400, "Content-Length is not a number.", List.of());
                return;
            }
            if (declared > limit) {
                ErrorResponses.send(ctx, 413, "Request body of " + declared + " bytes exceeds the limit of " + limit
                        + " bytes for " + (upload ? "uploads." : "this endpoint."), List.of());
                return;
            }
        }
        ctx.next();
    }
}
