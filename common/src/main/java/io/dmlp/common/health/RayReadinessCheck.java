package io.dmlp.common.health;

import io.dmlp.common.client.RayJobApi;
import io.dmlp.common.client.RestClients;
import io.dmlp.common.config.RayAuth;
import io.dmlp.common.config.RayConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Ray's Job API answers {@code GET /api/version} with our credentials. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "dmlp.health.ray", stringValue = "true")
public class RayReadinessCheck implements AsyncHealthCheck {

    private final RayConfig config;
    private final RayJobApi ray;

    public RayReadinessCheck(RayConfig config) {
        this.config = config;
        this.ray = RestClients.build(RayJobApi.class, config.url(), Probes.TIMEOUT, Probes.TIMEOUT);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("ray", Uni.createFrom().deferred(() -> ray.version(RayAuth.authorizationHeader(config)
                .orElse(null))).invoke(response -> {
                    if (response.getStatus() != 200) {
                        throw new IllegalStateException("GET /api/version answered " + response.getStatus());
                    }
                }).replaceWithVoid());
    }
}
