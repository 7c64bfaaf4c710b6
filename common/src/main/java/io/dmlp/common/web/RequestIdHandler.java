package io.dmlp.common.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Gives every request an id before any other route runs: puts it into the request's headers (so the REST
 * layer and the gateway's upstream call see the same, sanitised value), into the logging context, and onto
 * the response; and writes one access line per request. The access line names the path without its query
 * string, which may carry a token or a password (refresh, logout, reset-password).
 */
@ApplicationScoped
public class RequestIdHandler implements Handler<RoutingContext> {

    /** Before every other route, the gateway's proxy routes included. */
    public static final int ORDER = -1000;

    private static final Logger ACCESS = Logger.getLogger("io.dmlp.access");

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String id = RequestIds.acceptOrCreate(ctx.request().getHeader(RequestIds.HEADER));
        ctx.request().headers().set(RequestIds.HEADER, id);
        ctx.put(RequestIds.MDC_KEY, id);
        MDC.put(RequestIds.MDC_KEY, id);
        ctx.addHeadersEndHandler(ignored -> ctx.response().headers().set(RequestIds.HEADER, id));
        long started = System.nanoTime();
        // Concatenated, not infof: java.util.Formatter would be a real share of a small request's cost.
        ctx.addBodyEndHandler(ignored -> ACCESS.info(ctx.request().method() + " " + ctx.request().path() + " "
                + ctx.response().getStatusCode() + " " + (System.nanoTime() - started) / 1_000_000 + "ms"));
        ctx.next();
    }
}
