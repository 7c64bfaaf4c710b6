package io.dmlp.gateway.routing;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Answers 404, like a path no service owns, for paths that only the internal network may reach. */
final class InternalPathHandler implements Handler<RoutingContext> {

    private final RequestPaths internal;

    InternalPathHandler(List<String> internalPaths) {
        this.internal = new RequestPaths(internalPaths);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (internal.matches(ctx.normalizedPath())) {
            ErrorResponses.send(ctx, 404, "No endpoint " + ctx.request().method() + " " + ctx.request().path(),
                    List.of());
            return;
        }
        ctx.next();
    }
}
