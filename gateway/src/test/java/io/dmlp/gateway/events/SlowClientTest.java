package io.dmlp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client whose connection stops taking data: its events wait, up to a bound; past it, it is disconnected. */
class SlowClientTest {

    private static final int BUFFER = 3;

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final EventStreams streams = new EventStreams(config(), Optional::empty, new ObjectMapper(), meters,
            Map.of("bootstrap.servers", "127.0.0.1:1"));
    private final FakeResponse client = new FakeResponse();
    private final EventStream stream = new EventStream(streams, "t-1", List.of(), client.proxy, context, BUFFER);

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void eventsWaitWhileTheConnectionIsBusyAndLeaveInOrderWhenItDrains() throws Exception {
        onContext(() -> stream.open(vertx, Duration.ofMinutes(1)));
        client.full = true;
        offer("e-1", "e-2", "e-3");
        onContext(() -> { });
        assertThat(client.written).containsExactly(": connected\n\n");

        client.full = false;
        onContext(() -> client.drainHandler.handle(null));

        assertThat(client.ids()).containsExactly("e-1", "e-2", "e-3");
        assertThat(client.reset).isFalse();
        assertThat(meters.get("dmlp.gateway.event.streams").gauge().value()).isEqualTo(1);
    }

    @Test
    void aClientFurtherBehindThanItsBufferIsDisconnectedAndForgotten() throws Exception {
        onContext(() -> stream.open(vertx, Duration.ofMinutes(1)));
        client.full = true;

        offer("e-1", "e-2", "e-3", "e-4");
        onContext(() -> { });

        assertThat(client.reset).isTrue();
        assertThat(meters.get("dmlp.gateway.event.streams").gauge().value()).isZero();
        assertThat(meters.get("dmlp.gateway.event.streams.dropped").counter().count()).isEqualTo(1);
        client.full = false;
        offer("e-5");
        onContext(() -> { });
        assertThat(client.ids()).isEmpty();
    }

    private void offer(String... ids) {
        for (String id : ids) {
            stream.offer(JobEvent.parse(new ObjectMapper(), "{\"id\": \"" + id + "\", \"type\": "
                    + "\"io.dmlp.training.running.v1\", \"tenantid\": \"t-1\"}", List.of("io.dmlp.")));
        }
    }

    /** Runs {@code action} on the stream's event loop after everything already handed to it, and waits. */
    private void onContext(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            action.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static EventStreamConfig config() {
        return new EventStreamConfig() {
            @Override
            public List<String> topics() {
                return List.of("dmlp.training.events");
            }

            @Override
            public List<String> types() {
                return List.of("io.dmlp.");
            }

            @Override
            public Duration keepAliveInterval() {
                return Duration.ofMinutes(1);
            }

            @Override
            public int clientBuffer() {
                return BUFFER;
            }

            @Override
            public Duration retryBackoff() {
                return Duration.ofSeconds(1);
            }
        };
    }

    /** The response of a connection that takes writes while {@link #full} is false, recording them. */
    private static final class FakeResponse {

        final List<String> written = new ArrayList<>();
        volatile boolean full;
        volatile boolean reset;
        Handler<Void> drainHandler;
        @SuppressWarnings("unchecked")
        final HttpServerResponse proxy = (HttpServerResponse) Proxy.newProxyInstance(
                HttpServerResponse.class.getClassLoader(), new Class<?>[] {HttpServerResponse.class},
                (self, method, args) -> switch (method.getName()) {
                    case "write" -> {
                        written.add(args[0] instanceof Buffer buffer ? buffer.toString(StandardCharsets.UTF_8)
                                : (String) args[0]);
                        yield Future.succeededFuture();
                    }
                    case "writeQueueFull" -> full;
                    case "closed" -> false;
                    case "reset" -> {
                        reset = true;
                        yield true;
                    }
                    case "drainHandler" -> {
                        drainHandler = (Handler<Void>) args[0];
                        yield self;
                    }
                    case "end" -> Future.succeededFuture();
                    default -> method.getReturnType() == HttpServerResponse.class ? self : null;
                });

        /** The ids of the messages written, in order. */
        List<String> ids() {
            return written.stream().filter(text -> text.startsWith("id: "))
                    .map(text -> text.substring(4, text.indexOf('\n'))).toList();
        }
    }
}
