package io.dmlp.gateway.routing;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Tells the services who the client is: {@code X-Forwarded-For} becomes the peer address the gateway sees, and
 * every client-supplied forwarding header is dropped, so no caller can pose as another address (auth-service
 * throttles by it).
 */
final class ClientAddressHandler implements Handler<RoutingContext> {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final List<String> CLIENT_CLAIMS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Port", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-Server", "X-Real-IP",
            "X-Client-IP", "True-Client-IP");

    @Override
    public void handle(RoutingContext ctx) {
        MultiMap headers = ctx.request().headers();
        CLIENT_CLAIMS.forEach(headers::remove);
        headers.set(X_FORWARDED_FOR, clientAddress(ctx));
        ctx.next();
    }

    /** The TCP peer of the request (the gateway trusts no forwarding header). */
    static String clientAddress(RoutingContext ctx) {
        return ctx.request().connection().remoteAddress().hostAddress();
    }
}
