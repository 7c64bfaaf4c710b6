package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** At start-up, after Flyway: the default tenant, its roles and the administrator exist. */
@ApplicationScoped
public class Bootstrap {

    void onStart(@Observes StartupEvent start, TenantService tenants, AuthConfig config) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> tenants.bootstrap(config));
    }
}
