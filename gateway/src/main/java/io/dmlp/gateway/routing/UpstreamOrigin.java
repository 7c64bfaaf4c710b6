package io.dmlp.gateway.routing;

import io.quarkus.runtime.annotations.RegisterForProxy;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Opens the request to a service so that an early answer survives. A service may answer (404, 401, 413...)
 * before it has read a request's body, then close or reset the connection while the gateway is still sending
 * that body. Two defaults would turn its answer into a 502: Netty closes a connection whose write failed before
 * reading what already arrived on it, and the proxy resets the request, which closes the connection, as soon as
 * the body cannot be written. So a failed write leaves the connection open for reading, and that reset waits
 * for the answer. A failed write means the service closed or reset the connection: reading then ends promptly,
 * with its answer or with the close (a 502 then, rightly).
 */
@RegisterForProxy(targets = HttpClientRequest.class) // a native image builds its dynamic proxies ahead of time
final class UpstreamOrigin implements OriginRequestProvider {

    private final SocketAddress server;

    UpstreamOrigin(SocketAddress server) {
        this.server = server;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        return context.client().request(new RequestOptions().setServer(server)).map(request -> {
            // A failed request fails its response too, which the interceptors answer; without a handler Vert.x
            // would also log every reset (the body cap resets on purpose) as an error.
            request.exceptionHandler(ignored -> { });
            if (request.connection() instanceof ConnectionBase connection) {
                connection.channel().config().setAutoClose(false);
            }
            BodyCap.CappedStream body = context.get(BodyCap.STREAM, BodyCap.CappedStream.class);
            return body == null ? request : resetOnceAnswered(request, body);
        });
    }

    /**
     * The request, except that the proxy's reset after its body could not be written is dropped while no answer
     * has arrived, unless the client's side of the body broke (the cap was passed, or the client went away).
     */
    private static HttpClientRequest resetOnceAnswered(HttpClientRequest request, BodyCap.CappedStream body) {
        return (HttpClientRequest) Proxy.newProxyInstance(HttpClientRequest.class.getClassLoader(),
                new Class<?>[] {HttpClientRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("reset") && method.getParameterCount() == 0
                            && !request.response().isComplete() && !body.broken()) {
                        return false;
                    }
                    try {
                        return method.invoke(request, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
