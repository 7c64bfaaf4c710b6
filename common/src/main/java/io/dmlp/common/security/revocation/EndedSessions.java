package io.dmlp.common.security.revocation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.KafkaTopicConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The sessions auth-service has ended, as this service knows them: every token check asks
 * {@link #isEnded(String)}. Start-up waits (up to {@code dmlp.revocation.catch-up-timeout}) until the endings of
 * the last token lifetime have been read back from Kafka, so a restarted service does not forget them; until then
 * the {@code revocation} readiness check is down.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.revocation.enabled", stringValue = "true")
public class EndedSessions {

    private static final Logger LOG = Logger.getLogger(EndedSessions.class);

    private final RevocationConfig config;
    private final RevokedSessions sessions;
    private final SessionEndedConsumer consumer;
    private final Thread thread;

    public EndedSessions(RevocationConfig config, KafkaTopicConfig topics, ObjectMapper json, MeterRegistry meters,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.sessions = new RevokedSessions(config.tokenLifetime().plus(config.clockSlack()), config.maxEntries(),
                Clock.systemUTC());
        this.consumer = new SessionEndedConsumer(kafkaConfig, topics.topic(config.topic()),
                config.tokenLifetime().plus(config.clockSlack()), config.retryBackoff(), sessions, json,
                Clock.systemUTC());
        this.thread = new Thread(consumer, "dmlp-revocation");
        thread.setDaemon(true);
        Gauge.builder("dmlp.revocation.sessions", sessions, RevokedSessions::size)
                .description("Ended sessions whose tokens are refused").register(meters);
        FunctionCounter.builder("dmlp.revocation.evicted.early", sessions, RevokedSessions::evictedEarly)
                .description("Ended sessions forgotten before their tokens expired because the set was full")
                .register(meters);
    }

    void start(@Observes StartupEvent startup) throws InterruptedException {
        thread.start();
        if (!consumer.awaitCaughtUp(config.catchUpTimeout())) {
            LOG.warnf("Session endings not read back within %s: serving, not ready until they are",
                    config.catchUpTimeout());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        consumer.close();
        thread.join(5_000);
    }

    /** Whether the session {@code sessionId} has ended (its tokens must be refused). */
    public boolean isEnded(String sessionId) {
        return sessions.isEnded(sessionId);
    }

    /** Whether the endings of the last token lifetime have been read since start. */
    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    public int size() {
        return sessions.size();
    }
}
