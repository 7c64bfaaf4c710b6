package io.dmlp.common.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start the {@code prod} profile while any secret still has a local-stack default. The local
 * stack runs with the {@code local} profile and tests with {@code test}, so only a real deployment is held
 * to this.
 */
@ApplicationScoped
public class ProductionGuard {

    /** Properties that protect something; whichever of them a service sets must not be a dev default. */
    static final List<String> SECRET_PROPERTIES = List.of(
            "quarkus.datasource.password",
            "dmlp.s3.secret-key",
            "dmlp.lakehouse.jdbc-password",
            "dmlp.auth.admin-password",
            "dmlp.internal.token");

    void check(@Observes StartupEvent startup, Config config) {
        if (ConfigUtils.getProfiles().contains("prod")) {
            List<String> weak = weakSecrets(name -> config.getOptionalValue(name, String.class));
            if (!weak.isEmpty()) {
                throw new IllegalStateException("Refusing to start the prod profile: " + String.join(", ", weak)
                        + " still hold a development default. Set real secrets (see docs/operations.md).");
            }
        }
    }

    /** Names (never values) of the secret properties that hold a development default. */
    static List<String> weakSecrets(Function<String, Optional<String>> lookup) {
        return SECRET_PROPERTIES.stream()
                .filter(name -> lookup.apply(name).map(DevDefaults.SECRETS::contains).orElse(false))
                .toList();
    }
}
