package io.dmlp.gateway.events;

import io.dmlp.common.error.ErrorMapping;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.gateway.routing.ErrorResponses;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/v1/events/stream}: the job events of the caller's tenant as server-sent events, live from Kafka
 * ({@link EventStreams}). The caller's access token is checked as every service checks it, by the same code (common's
 * smallrye-jwt set-up, remembered tokens and ended sessions), and needs {@code can_view}: the events tell what the
 * tenant's read endpoints tell. Anything refused is answered in the one error body before any stream starts.
 */
@ApplicationScoped
public class EventStreamRoute {

    private static final Logger LOG = Logger.getLogger(EventStreamRoute.class);
    static final String PATH = "/api/v1/events/stream";
    /**
     * After Quarkus's authentication handler (order -200), which gives the request its deferred identity; before the
     * proxy routes (-100).
     */
    static final int ORDER = -150;

    private final EventStreams streams;
    private final EventStreamConfig config;
    private final Vertx vertx;

    public EventStreamRoute(EventStreams streams, EventStreamConfig config, Vertx vertx) {
        this.streams = streams;
        this.config = config;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.getWithRegex(PATH + "/?").order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Context context = vertx.getOrCreateContext();
        // Quarkus's own handler would end the response with an empty 401; the subscriber below answers every failure.
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (request, failure) -> {
        });
        // The token is verified now, on this request only (proactive authentication is off for the proxied paths).
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(
                identity -> context.runOnContext(ignored -> open(ctx, identity, context)),
                failure -> context.runOnContext(ignored -> refuse(ctx, failure)));
    }

    private void open(RoutingContext ctx, SecurityIdentity identity, Context context) {
        EventStream stream;
        try {
            if (identity == null || identity.isAnonymous()
                    || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                throw new UnauthorizedException();
            }
            Caller caller = Caller.of(token);
            caller.require(Permission.VIEW);
            stream = new EventStream(streams, caller.tenantId(), types(ctx), ctx.response(), context,
                    config.clientBuffer());
        } catch (RuntimeException e) {
            refuse(ctx, e);
            return;
        }
        stream.open(vertx, config.keepAliveInterval());
    }

    /** {@code types=a.,b.} (the parameter may also be repeated): the type prefixes kept; none for all. */
    private static List<String> types(RoutingContext ctx) {
        return ctx.queryParam("types").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(prefix -> !prefix.isEmpty())
                .toList();
    }

    /** The one error body, with the status the common error table gives the failure (401 for any bad token). */
    private static void refuse(RoutingContext ctx, Throwable failure) {
        if (ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        ErrorMapping.Mapped mapped = ErrorMapping.map(failure);
        if (mapped.serverFault()) {
            LOG.errorf(failure, "GET %s failed", PATH);
        }
        mapped.headers().forEach(ctx.response()::putHeader);
        ErrorResponses.send(ctx, mapped.status(), mapped.message(), mapped.details());
    }
}
