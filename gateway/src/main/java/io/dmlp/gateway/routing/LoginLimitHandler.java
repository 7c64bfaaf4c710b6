package io.dmlp.gateway.routing;

import io.dmlp.gateway.config.GatewayConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-client limit on the paths that check a password or a refresh token
 * ({@link GatewayConfig.LoginLimit}): a client past it gets 429 with {@code Retry-After}, and the request never
 * reaches auth-service, so guessing costs it no bcrypt work and cannot lock accounts out.
 */
final class LoginLimitHandler implements Handler<RoutingContext> {

    private final RequestPaths limited;
    private final TokenBuckets buckets;

    LoginLimitHandler(GatewayConfig.LoginLimit config) {
        this.limited = new RequestPaths(config.paths());
        this.buckets = new TokenBuckets(config.burst(), config.requests(), config.period().toNanos(),
                config.maxClients());
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (limited.matches(ctx.normalizedPath())) {
            long waitNanos = buckets.take(ClientAddressHandler.clientAddress(ctx), System.nanoTime());
            if (waitNanos > 0) {
                long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
                ctx.response().putHeader("Retry-After", Long.toString(seconds));
                ErrorResponses.send(ctx, 429,
                        "Too many attempts from this address; try again in " + seconds + " s.", List.of());
                return;
            }
        }
        ctx.next();
    }
}
