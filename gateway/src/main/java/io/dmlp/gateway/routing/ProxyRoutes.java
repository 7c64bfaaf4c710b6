package io.dmlp.gateway.routing;

import io.dmlp.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.jboss.logging.Logger;

/**
 * Registers one reverse-proxy route per owned path prefix. Bodies stream through in both directions:
 * an upload never sits whole in the gateway's memory.
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
        BodyLimitHandler bodyLimit = new BodyLimitHandler(config);
        config.services().forEach((name, upstream) -> {
            HttpProxy proxy = HttpProxy.reverseProxy(client(upstream.url()))
                    .origin(port(upstream.url()), upstream.url().getHost());
            proxy.addInterceptor(new UnreachableUpstream(name));
            for (String prefix : upstream.prefixes()) {
                // "/x/*" matches "/x", "/x/" and "/x/..." but not "/xy".
                router.route(prefix + "/*").order(PROXY_ORDER)
                        .handler(bodyLimit)
                        .handler(ctx -> proxy.handle(ctx.request()));
            }
            LOG.infof("Routing %s to %s", upstream.prefixes(), upstream.url());
        });
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
