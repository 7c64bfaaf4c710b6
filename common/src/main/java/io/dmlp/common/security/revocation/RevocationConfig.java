package io.dmlp.common.security.revocation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The set of ended sessions every token-checking service keeps, fed by auth-service's
 * {@code session.ended} events on Kafka.
 */
@ConfigMapping(prefix = "dmlp.revocation")
public interface RevocationConfig {

    /**
     * Build-time switch: every service that verifies access tokens sets it. It needs the Kafka client on the
     * classpath; the beans of this package do not exist elsewhere.
     */
    @WithDefault("false")
    boolean enabled();

    /** The topic auth-service announces endings on, before this environment's prefix. */
    @WithDefault("dmlp.auth.events")
    String topic();

    /**
     * Lifetime of an access token (auth-service's {@code dmlp.auth.access-token-ttl}). An ending is
     * remembered this long after it happened, plus {@link #clockSlack()}: by then every token of the session has
     * expired anyway. On start the service reads the endings of this window back from Kafka.
     */
    @WithDefault("15m")
    Duration tokenLifetime();

    /** Added to the lifetime for clocks that differ between auth-service, Kafka and this service. */
    @WithDefault("1m")
    Duration clockSlack();

    /**
     * Most endings remembered at once. Reaching it would take this many endings within one lifetime
     * (about 200 a second for 16 minutes), and each needs a log-in, which costs auth-service a bcrypt hash; should
     * it happen anyway, the endings closest to expiry are forgotten first, with a warning and the
     * {@code dmlp_revocation_evicted_early_total} counter. About 150 bytes an entry.
     */
    @WithDefault("200000")
    int maxEntries();

    /**
     * How long start-up waits for the endings of the last lifetime to be read before it goes on. A service
     * that could not catch up in time (Kafka away) starts anyway and stays not ready ({@code revocation}
     * readiness check) until it has.
     */
    @WithDefault("30s")
    Duration catchUpTimeout();

    /** Pause before trying again when Kafka cannot be reached. */
    @WithDefault("2s")
    Duration retryBackoff();
}
