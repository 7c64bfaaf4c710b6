package io.dmlp.gateway.routing;

import io.dmlp.gateway.config.GatewayConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Registers one reverse-proxy route per owned path prefix. Bodies stream through in both directions:
 * an upload never sits whole in the gateway's memory. Before a request leaves, in this order: internal paths
 * are refused, the client address is set, the per-client log-in limit and the body framing are checked; the
 * body's bytes are counted while they stream.
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    /** Before Quarkus's own routes, after the request-id handler of common. */
    static final int PROXY_ORDER = -100;

    private final GatewayConfig config;
    private final Vertx vertx;

    public ProxyRoutes(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        InternalPathHandler internalPaths = new InternalPathHandler(config.internalPaths());
        ClientAddressHandler clientAddress = new ClientAddressHandler();
        LoginLimitHandler loginLimit = new LoginLimitHandler(config.loginLimit());
        BodyLimitHandler bodyLimit = new BodyLimitHandler(config);
        config.services().forEach((name, upstream) -> {
            HttpClient client = client(upstream.url());
            HttpProxy proxy = proxy(name, upstream.url(), client, new BodyCap(bodyLimit.maxBody(), false));
            HttpProxy uploadProxy = proxy(name, upstream.url(), client, new BodyCap(bodyLimit.maxUpload(), true));
            for (String prefix : upstream.prefixes()) {
                // "/x/*" matches "/x", "/x/" and "/x/..." but not "/xy".
                router.route(prefix + "/*").order(PROXY_ORDER)
                        .handler(internalPaths)
                        .handler(clientAddress)
                        .handler(loginLimit)
                        .handler(bodyLimit)
                        .handler(ctx -> (bodyLimit.isUpload(ctx) ? uploadProxy : proxy).handle(ctx.request()));
            }
            LOG.infof("Routing %s to %s", upstream.prefixes(), upstream.url());
        });
        router.route().order(PROXY_ORDER).failureHandler(ProxyRoutes::unexpectedFailure);
    }

    private static HttpProxy proxy(String service, URI url, HttpClient client, BodyCap bodyCap) {
        SocketAddress origin = SocketAddress.inetSocketAddress(port(url), url.getHost());
        return HttpProxy.reverseProxy(client)
                .origin(new UpstreamOrigin(origin))
                // UnreachableUpstream first: it answers 502 for any failure the body cap has not answered itself.
                .addInterceptor(new UnreachableUpstream(service))
                .addInterceptor(bodyCap);
    }

    /** Replaces Quarkus's error page, whose log line would carry the query string. */
    private static void unexpectedFailure(RoutingContext ctx) {
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (ctx.response().headWritten()) {
            ctx.request().connection().close();
            return;
        }
        if (status >= 500) {
            LOG.errorf(ctx.failure(), "%s %s failed with %d", ctx.request().method(), ctx.request().path(), status);
        }
        ErrorResponses.send(ctx, status, status == 500 ? "The gateway failed to handle the request."
                : HttpResponseStatus.valueOf(status).reasonPhrase() + ".", List.of());
    }

    private HttpClient client(URI url) {
        return vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(64)
                .setDefaultHost(url.getHost())
                .setDefaultPort(port(url)));
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : 80;
    }
}
