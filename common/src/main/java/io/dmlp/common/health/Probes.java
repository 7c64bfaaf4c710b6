package io.dmlp.common.health;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Turns a dependency probe into a named readiness response with one bounded wait. */
final class Probes {

    /** Longest a probe may take: the gateway's aggregated health check must answer promptly. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private Probes() {
    }

    static Uni<HealthCheckResponse> probe(String name, Uni<Void> probe) {
        return probe.ifNoItem().after(TIMEOUT).fail()
                .map(ignored -> HealthCheckResponse.up(name))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(name).down()
                        .withData("error", describe(failure)).build());
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
