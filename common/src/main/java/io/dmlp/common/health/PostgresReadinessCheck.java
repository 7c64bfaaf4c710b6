package io.dmlp.common.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the service's own database answers a query. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "dmlp.health.postgresql", stringValue = "true")
public class PostgresReadinessCheck implements AsyncHealthCheck {

    private final Pool pool;

    public PostgresReadinessCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("postgresql", pool.query("select 1").execute().replaceWithVoid());
    }
}
