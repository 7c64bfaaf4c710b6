package io.dmlp.gateway.events;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One client's open stream: its server-sent response, the events waiting while its connection is busy, and its
 * keep-alive. Everything but {@link #offer} runs on the client's event loop ({@code context}), so none of its state
 * needs a lock.
 */
final class EventStream {

    private static final Logger LOG = Logger.getLogger(EventStream.class);
    private static final String CONNECTED = ": connected\n\n";
    private static final String KEEP_ALIVE = ": keep-alive\n\n";

    private final EventStreams registry;
    private final String tenantId;
    private final List<String> types;
    private final HttpServerResponse response;
    private final Context context;
    private final int bufferLimit;
    /** Events the connection could not take yet (its write queue was full), oldest first. */
    private final ArrayDeque<Buffer> waiting = new ArrayDeque<>();
    private long keepAliveTimer = -1;
    private boolean closed;

    /**
     * @param types       type prefixes the client asked for; empty for every job event
     * @param bufferLimit most events held in {@link #waiting}: past it the client is disconnected
     */
    EventStream(EventStreams registry, String tenantId, List<String> types, HttpServerResponse response,
            Context context, int bufferLimit) {
        this.registry = registry;
        this.tenantId = tenantId;
        this.types = List.copyOf(types);
        this.response = response;
        this.context = context;
        this.bufferLimit = bufferLimit;
    }

    String tenantId() {
        return tenantId;
    }

    /** Answers 200 and starts delivering: every job event of the tenant read after this reaches the client. */
    void open(Vertx vertx, Duration keepAliveInterval) {
        if (response.closed()) {
            return; // the client left while its token was being checked
        }
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                // Asks a buffering reverse proxy in front of the gateway (nginx) to pass each event on at once.
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> close());
        response.drainHandler(ignored -> drain());
        registry.add(this);
        response.write(CONNECTED);
        keepAliveTimer = vertx.setPeriodic(keepAliveInterval.toMillis(), id -> keepAlive());
    }

    /** From the Kafka reader's thread: passes an event of the tenant on to the client's event loop. */
    void offer(JobEvent event) {
        if (types.isEmpty() || types.stream().anyMatch(event.type()::startsWith)) {
            context.runOnContext(ignored -> send(Buffer.buffer(event.message())));
        }
    }

    /** Ends the stream cleanly (the gateway is stopping). */
    void end() {
        context.runOnContext(ignored -> {
            if (!closed) {
                close();
                response.end();
            }
        });
    }

    private void send(Buffer message) {
        if (closed) {
            return;
        }
        if (waiting.isEmpty() && !response.writeQueueFull()) {
            response.write(message);
        } else if (waiting.size() < bufferLimit) {
            waiting.add(message);
        } else {
            LOG.infof("Disconnecting an event stream of tenant %s: its client is %d events behind", tenantId,
                    waiting.size());
            registry.dropped();
            close();
            response.reset(); // closes the connection: the client sees the stream end and may reconnect
        }
    }

    private void drain() {
        while (!closed && !waiting.isEmpty() && !response.writeQueueFull()) {
            response.write(waiting.poll());
        }
    }

    private void keepAlive() {
        // A connection with events waiting is busy already; a keep-alive would only wait behind them.
        if (!closed && waiting.isEmpty() && !response.writeQueueFull()) {
            response.write(KEEP_ALIVE);
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.owner().cancelTimer(keepAliveTimer);
        waiting.clear();
        registry.remove(this);
    }
}
