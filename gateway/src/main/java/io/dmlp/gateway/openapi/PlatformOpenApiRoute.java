package io.dmlp.gateway.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dmlp.gateway.config.GatewayConfig;
import io.dmlp.gateway.routing.ErrorResponses;
import io.dmlp.gateway.routing.RequestPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code GET /q/openapi}: one OpenAPI document for the whole platform, the gateway's own operations and every
 * service's routed ones ({@link OpenApiMerge}), YAML by default and JSON with {@code ?format=json}, as Quarkus
 * serves a single service's. The gateway's own document stays at {@code /q/openapi/gateway}; Swagger UI at
 * {@code /q/swagger-ui} shows the merged one.
 */
@ApplicationScoped
public class PlatformOpenApiRoute {

    private static final Logger LOG = Logger.getLogger(PlatformOpenApiRoute.class);
    static final String PATH = "/q/openapi";
    static final String GATEWAY_DOCUMENT = "/q/openapi/gateway";
    private static final JsonObject INFO = new JsonObject()
            .put("title", "Data ML Platform API")
            .put("version", "0.1.0")
            .put("description", "Every operation of the platform as the gateway serves it: authentication with a "
                    + "bearer access token from POST /api/v1/login/access-token, errors in one JSON body "
                    + "(status_code, message, details, request_id), pages with skip and limit. x-dmlp-service names "
                    + "the service that answers an operation. See docs/api.md.");

    private record Cached(JsonObject document, long expiresAtMillis) {
    }

    private final GatewayConfig gateway;
    private final OpenApiConfig config;
    private final HttpClient client;
    private final RequestPaths internal;
    private final YAMLMapper yaml = new YAMLMapper();
    private final AtomicReference<Cached> cached = new AtomicReference<>();

    public PlatformOpenApiRoute(GatewayConfig gateway, OpenApiConfig config, Vertx vertx) {
        this.gateway = gateway;
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) gateway.connectTimeout().toMillis()));
        this.internal = new RequestPaths(gateway.internalPaths());
    }

    void register(@Observes Router router) {
        router.get(PATH).order(-200).handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        Cached current = cached.get();
        Future<JsonObject> document = current != null && current.expiresAtMillis() > System.currentTimeMillis()
                ? Future.succeededFuture(current.document())
                : build(ctx.request().localAddress());
        document.onSuccess(merged -> {
            boolean json = "json".equalsIgnoreCase(ctx.request().getParam("format"));
            try {
                ctx.response()
                        .putHeader("Content-Type", json ? "application/json;charset=UTF-8" : "application/yaml;charset=UTF-8")
                        .end(json ? merged.toBuffer() : Buffer.buffer(yaml.writeValueAsString(yaml.readTree(merged.encode()))));
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        }).onFailure(failure -> ErrorResponses.send(ctx, 503, failure.getMessage(), List.of()));
    }

    /** Asks the gateway itself (on the address the request came in on) and every service for its document. */
    private Future<JsonObject> build(SocketAddress self) {
        List<String> names = new ArrayList<>();
        List<Future<JsonObject>> fetches = new ArrayList<>();
        names.add("gateway");
        fetches.add(fetch("http://" + self.host() + ":" + self.port() + GATEWAY_DOCUMENT));
        for (Map.Entry<String, GatewayConfig.Upstream> service : gateway.services().entrySet()) {
            names.add(service.getKey());
            fetches.add(fetch(service.getValue().url().toString().replaceAll("/$", "") + PATH));
        }
        return Future.join(fetches).transform(done -> {
            List<String> missing = new ArrayList<>();
            List<OpenApiMerge.Part> parts = new ArrayList<>();
            for (int i = 0; i < fetches.size(); i++) {
                Future<JsonObject> fetch = fetches.get(i);
                if (fetch.failed()) {
                    LOG.warnf("OpenAPI document of %s: %s", names.get(i), fetch.cause().getMessage());
                    missing.add(names.get(i));
                } else {
                    parts.add(new OpenApiMerge.Part(names.get(i), fetch.result(), routed(names.get(i))));
                }
            }
            if (!missing.isEmpty()) {
                return Future.failedFuture("The API document is incomplete: "
                        + missing.stream().sorted().collect(Collectors.joining(", ")) + " did not give theirs; "
                        + "try again shortly.");
            }
            JsonObject merged = OpenApiMerge.merge(INFO.copy(), parts);
            cached.set(new Cached(merged, System.currentTimeMillis() + config.cacheTtl().toMillis()));
            return Future.succeededFuture(merged);
        });
    }

    /** The paths the gateway routes to a service, without the internal ones; the gateway's own are all its own. */
    private Predicate<String> routed(String service) {
        GatewayConfig.Upstream upstream = gateway.services().get(service);
        if (upstream == null) {
            return path -> true;
        }
        RequestPaths owned = new RequestPaths(upstream.prefixes());
        return path -> owned.matches(path) && !internal.matches(path);
    }

    private Future<JsonObject> fetch(String url) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url + "?format=json")
                .setIdleTimeout(config.fetchTimeout().toMillis());
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200
                        ? response.body()
                        : Future.failedFuture("HTTP " + response.statusCode()))
                .map(Buffer::toJsonObject);
    }
}
