package io.dmlp.gateway.health;

import io.dmlp.gateway.routing.ErrorResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/utils/health-check/}: the guide's body when everything was ready at the last readiness
 * round ({@link PlatformHealth}), otherwise a 503 in the error body naming each component that is not, and
 * which services report it.
 */
@ApplicationScoped
public class HealthCheckRoute {

    static final JsonObject HEALTHY = new JsonObject().put("status", "ok").put("message", "Service is healthy.");

    private final PlatformHealth health;

    public HealthCheckRoute(PlatformHealth health) {
        this.health = health;
    }

    void register(@Observes Router router) {
        router.getWithRegex("/api/v1/utils/health-check/?").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        health.current().onComplete(result -> {
            if (result.failed()) {
                ErrorResponses.send(ctx, 503, "Health could not be determined.", List.of());
            } else if (result.result().healthy()) {
                ctx.response().putHeader("Content-Type", "application/json").end(HEALTHY.toBuffer());
            } else {
                Map<String, TreeSet<String>> failing = result.result().failingComponents();
                String summary = failing.entrySet().stream()
                        .map(e -> e.getKey() + " (reported by " + String.join(", ", e.getValue()) + ")")
                        .collect(Collectors.joining("; "));
                List<Map<String, Object>> details = failing.entrySet().stream()
                        .map(e -> Map.<String, Object>of("component", e.getKey(), "status", "DOWN",
                                "reported_by", List.copyOf(e.getValue())))
                        .toList();
                ErrorResponses.send(ctx, 503, "Service is unhealthy. Not ready: " + summary, details);
            }
        });
    }
}
