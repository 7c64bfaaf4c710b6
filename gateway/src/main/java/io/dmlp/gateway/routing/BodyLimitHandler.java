package io.dmlp.gateway.routing;

import io.dmlp.gateway.config.GatewayConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a request's framing before a byte reaches a service: refuses a declared length over the route's limit
 * and any transfer coding but a single {@code chunked} (which the proxy could not forward faithfully). The bytes
 * actually received are counted by {@link BodyCap}, so neither header can widen the limit.
 */
final class BodyLimitHandler implements Handler<RoutingContext> {

    private final long maxBody;
    private final long maxUpload;
    private final Set<String> uploadPaths;

    BodyLimitHandler(GatewayConfig config) {
        this.maxBody = config.maxBodySize().asLongValue();
        this.maxUpload = config.maxUploadSize().asLongValue();
        this.uploadPaths = config.uploadPaths().stream().map(RequestPaths::canonical).collect(Collectors.toSet());
    }

    boolean isUpload(RoutingContext ctx) {
        return uploadPaths.contains(RequestPaths.canonical(ctx.normalizedPath()));
    }

    long maxBody() {
        return maxBody;
    }

    long maxUpload() {
        return maxUpload;
    }

    @Override
    public void handle(RoutingContext ctx) {
        List<String> codings = ctx.request().headers().getAll(HttpHeaders.TRANSFER_ENCODING).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(coding -> !coding.isEmpty())
                .toList();
        if (!codings.isEmpty()) {
            if (codings.stream().anyMatch(coding -> !coding.equalsIgnoreCase("chunked"))) {
                ErrorResponses.refuseBody(ctx, 501, "Transfer-Encoding " + String.join(", ", codings)
                        + " is not supported: send the body chunked or with a Content-Length.");
                return;
            }
            if (codings.size() > 1) {
                ErrorResponses.refuseBody(ctx, 400, "Transfer-Encoding names chunked more than once.");
                return;
            }
            // The proxy forwards only the exact lower-case token.
            ctx.request().headers().set(HttpHeaders.TRANSFER_ENCODING, "chunked");
        }
        boolean upload = isUpload(ctx);
        long limit = upload ? maxUpload : maxBody;
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                ErrorResponses.refuseBody(ctx, 400, "Content-Length is not a number.");
                return;
            }
            if (declared > limit) {
                ErrorResponses.refuseBody(ctx, 413, tooLarge("Request body of " + declared + " bytes", limit, upload));
                return;
            }
        }
        ctx.next();
    }

    static String tooLarge(String what, long limit, boolean upload) {
        return what + " exceeds the limit of " + limit + " bytes for " + (upload ? "uploads." : "this endpoint.");
    }
}
