package io.dmlp.gateway.health;

import io.dmlp.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Asks every service for its readiness (which covers that service's own dependencies) on its management
 * interface and sums it up: healthy, or the list of what is not ready, named by component (postgresql, kafka,
 * s3, ray) and service. It asks in the background, every {@code dmlp.gateway.health-refresh-interval}, never
 * on behalf of a caller: any rate of public health checks costs the services nothing.
 */
@ApplicationScoped
public class PlatformHealth {

    /** A service's answer: ready, or the names of its failing checks ("unreachable" when it did not answer). */
    public record ServiceState(String service, boolean ready, List<String> failing) {
    }

    /** The whole platform's state. */
    public record Report(List<ServiceState> services) {

        public boolean healthy() {
            return services.stream().allMatch(ServiceState::ready);
        }

        /** Failing component → the services that report it, e.g. {@code s3 → [dataset-service, ...]}. */
        public Map<String, TreeSet<String>> failingComponents() {
            Map<String, TreeSet<String>> components = new TreeMap<>();
            for (ServiceState state : services) {
                for (String check : state.failing()) {
                    String component = "unreachable".equals(check) ? state.service() : check;
                    components.computeIfAbsent(component, c -> new TreeSet<>()).add(state.service());
                }
            }
            return components;
        }
    }

    private static final Logger LOG = Logger.getLogger(PlatformHealth.class);

    private final GatewayConfig config;
    private final Vertx vertx;
    private final HttpClient client;
    /** Completed by the first refresh; callers before it wait for it. */
    private final Promise<Report> first = Promise.promise();
    private volatile Report latest;
    private boolean refreshing;
    private long timer = -1;

    public PlatformHealth(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.healthTimeout().toMillis()));
    }

    /** The last report, or the first one once it is in. */
    public Future<Report> current() {
        Report report = latest;
        return report != null ? Future.succeededFuture(report) : first.future();
    }

    void start(@Observes StartupEvent startup) {
        vertx.runOnContext(ignored -> {
            refresh();
            timer = vertx.setPeriodic(config.healthRefreshInterval().toMillis(), id -> refresh());
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timer);
    }

    /** One round at a time: a tick that finds the last round still waiting (on a timeout) is skipped. */
    private void refresh() {
        if (refreshing) {
            return;
        }
        refreshing = true;
        check().onComplete(result -> {
            refreshing = false;
            if (result.succeeded()) {
                latest = result.result();
                first.tryComplete(latest);
            } else {
                LOG.warnf("Readiness round failed: %s", result.cause().toString());
            }
        });
    }

    Future<Report> check() {
        List<Future<ServiceState>> states = new ArrayList<>();
        config.services().forEach((name, upstream) -> states.add(readiness(name, upstream)));
        return Future.join(new ArrayList<>(states))
                .transform(ignored -> Future.succeededFuture(
                        new Report(states.stream().map(Future::result).toList())));
    }

    private Future<ServiceState> readiness(String name, GatewayConfig.Upstream upstream) {
        URI management = upstream.managementUrl();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(management.getHost())
                .setPort(management.getPort() > 0 ? management.getPort() : 80)
                .setURI("/q/health/ready")
                .setTimeout(config.healthTimeout().toMillis());
        return client.request(request)
                .compose(req -> req.send())
                .compose(response -> response.body().map(body -> parse(name, response.statusCode(), body.toString())))
                .otherwise(failure -> new ServiceState(name, false, List.of("unreachable")));
    }

    static ServiceState parse(String service, int status, String body) {
        List<String> failing = new ArrayList<>();
        try {
            JsonArray checks = new JsonObject(body).getJsonArray("checks", new JsonArray());
            for (int i = 0; i < checks.size(); i++) {
                JsonObject check = checks.getJsonObject(i);
                if (!"UP".equals(check.getString("status"))) {
                    failing.add(check.getString("name"));
                }
            }
        } catch (RuntimeException e) {
            failing.add("unreadable-health");
        }
        if (status != 200 && failing.isEmpty()) {
            failing.add("not-ready");
        }
        return new ServiceState(service, status == 200 && failing.isEmpty(), failing);
    }
}
