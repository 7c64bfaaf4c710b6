package io.dmlp.gateway.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** {@code GET /api/v1/events/stream}: which events it carries and how it treats its clients. */
@ConfigMapping(prefix = "dmlp.gateway.events")
public interface EventStreamConfig {

    /**
     * The topics read, before this environment's prefix ({@code dmlp.kafka.topic-prefix}). One consumer per gateway
     * instance reads every partition of them, without a consumer group: every instance sees every event.
     */
    @WithDefault("dmlp.training.events,dmlp.inference.events,dmlp.dataset.events")
    List<String> topics();

    /**
     * The job events among them, by type prefix: the lifecycles of training, SHAP, batch prediction and forecast
     * jobs (and the model updates and deletions of training's topic), and dataset statistics jobs. Any other event of
     * those topics (a dataset created, a file added) is not streamed. A client's {@code types=} narrows within these.
     */
    @WithDefault("io.dmlp.training.,io.dmlp.inference.,io.dmlp.dataset.statistics.")
    List<String> types();

    /**
     * How often an idle stream gets a {@code : keep-alive} comment, so that proxies and browsers keep it open and the
     * client notices a dead connection.
     */
    @WithDefault("15s")
    Duration keepAliveInterval();

    /**
     * Most events held for one client whose connection does not take them as fast as they come (beyond what the
     * connection's own write queue holds). A client past it is disconnected, and may reconnect: a slow client costs
     * the gateway this much memory at most, never more.
     */
    @WithDefault("256")
    int clientBuffer();

    /** Pause before reading again when Kafka cannot be reached. */
    @WithDefault("2s")
    Duration retryBackoff();
}
