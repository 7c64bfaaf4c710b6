package io.dmlp.common.security.revocation;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the session endings of the last token lifetime have been read back from Kafka: before that, a
 * token of a recently ended session could pass. Afterwards it stays up; Kafka's own check reports an outage.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "dmlp.revocation.enabled", stringValue = "true")
public class RevocationReadinessCheck implements HealthCheck {

    private final EndedSessions endedSessions;

    public RevocationReadinessCheck(EndedSessions endedSessions) {
        this.endedSessions = endedSessions;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("revocation")
                .status(endedSessions.caughtUp())
                .withData("ended_sessions", endedSessions.size())
                .build();
    }
}
