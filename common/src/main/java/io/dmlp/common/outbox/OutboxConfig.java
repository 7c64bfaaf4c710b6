package io.dmlp.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The transactional outbox and its relay to Kafka. */
@ConfigMapping(prefix = "dmlp.outbox")
public interface OutboxConfig {

    /**
     * Build-time switch: services with a database and Kafka set it; the beans of this package do not
     * exist elsewhere.
     */
    @WithDefault("false")
    boolean enabled();

    /** The CloudEvents {@code source} of this service's events, e.g. {@code /dmlp/auth-service}. */
    @WithDefault("/dmlp/unknown")
    String source();

    /** How often the relay looks for unpublished events. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Most events the relay claims and publishes in one batch. */
    @WithDefault("200")
    int batchSize();

    /**
     * How long the relay waits for Kafka to acknowledge an event before trying again later. A claimed batch is
     * leased for twice this: the rows of a relay that stopped before marking them are claimed again after that.
     */
    @WithDefault("15s")
    Duration sendTimeout();

    /** How long published events stay in the table before they are deleted. */
    @WithDefault("7d")
    Duration retention();
}
