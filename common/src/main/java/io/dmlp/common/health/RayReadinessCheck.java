package io.dmlp.common.health;

import io.dmlp.common.config.RayAuth;
import io.dmlp.common.config.RayConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Ray's Job API answers {@code GET /api/version} with our credentials. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "dmlp.health.ray", stringValue = "true")
public class RayReadinessCheck implements AsyncHealthCheck {

    private final RayConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Probes.TIMEOUT).build();

    public RayReadinessCheck(RayConfig config) {
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("ray", Uni.createFrom().completionStage(() -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.url() + "/api/version"))
                    .timeout(Probes.TIMEOUT).GET();
            RayAuth.authorizationHeader(config).ifPresent(value -> request.header("Authorization", value));
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        }).onItem().transform(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/version answered " + response.statusCode());
            }
            return response;
        }).replaceWithVoid());
    }
}
