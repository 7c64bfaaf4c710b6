package io.dmlp.gateway.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.KafkaTopicConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The open event streams of this gateway instance, by tenant, and the one Kafka reader that feeds them all: each job
 * event goes to the streams of the tenant named by its {@code tenantid}, and to no other.
 */
@ApplicationScoped
public class EventStreams {

    private static final Logger LOG = Logger.getLogger(EventStreams.class);

    private final EventStreamConfig config;
    private final ObjectMapper json;
    private final JobEventFeed feed;
    private final Thread thread;
    private final Map<String, Set<EventStream>> byTenant = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter dropped;

    public EventStreams(EventStreamConfig config, KafkaTopicConfig topics, ObjectMapper json, MeterRegistry meters,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.json = json;
        this.feed = new JobEventFeed(kafkaConfig, config.topics().stream().map(topics::topic).toList(),
                config.retryBackoff(), this::dispatch, Clock.systemUTC());
        this.thread = new Thread(feed, "dmlp-job-events");
        thread.setDaemon(true);
        Gauge.builder("dmlp.gateway.event.streams", open, AtomicInteger::get)
                .description("Open GET /api/v1/events/stream connections").register(meters);
        this.dropped = Counter.builder("dmlp.gateway.event.streams.dropped")
                .description("Event streams closed because their client fell too far behind").register(meters);
    }

    void start(@Observes StartupEvent startup) {
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        feed.close();
        thread.join(5_000);
        byTenant.values().forEach(streams -> streams.forEach(EventStream::end));
    }

    /** Whether the reader has its place on every partition: an event written from now on reaches the streams. */
    boolean live() {
        return feed.live();
    }

    /** Delivers the tenant's job events to {@code stream} until {@link #remove} (its client went away). */
    void add(EventStream stream) {
        byTenant.compute(stream.tenantId(), (tenant, streams) -> {
            Set<EventStream> of = streams != null ? streams : ConcurrentHashMap.newKeySet();
            of.add(stream);
            return of;
        });
        open.incrementAndGet();
    }

    void remove(EventStream stream) {
        byTenant.computeIfPresent(stream.tenantId(), (tenant, streams) -> {
            if (streams.remove(stream)) {
                open.decrementAndGet();
            }
            return streams.isEmpty() ? null : streams;
        });
    }

    /** A client too slow for its stream was disconnected. */
    void dropped() {
        dropped.increment();
    }

    /** On the feed's thread: parses once, then hands the event to its tenant's streams (which never block). */
    private void dispatch(String payload) {
        JobEvent event;
        try {
            event = JobEvent.parse(json, payload, config.types());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping an unreadable event: %s", e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        Set<EventStream> streams = byTenant.get(event.tenantId());
        if (streams != null) {
            streams.forEach(stream -> stream.offer(event));
        }
    }
}
