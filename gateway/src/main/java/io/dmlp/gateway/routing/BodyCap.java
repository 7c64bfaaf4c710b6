package io.dmlp.gateway.routing;

import io.dmlp.common.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;

/**
 * Counts the body bytes a client actually sends on their way to the service, whatever the headers declared.
 * The chunk that would pass the limit is never forwarded: the upstream request is reset (the service sees an
 * incomplete request, never a complete truncated one), the client gets 413 and its connection is closed.
 */
final class BodyCap implements ProxyInterceptor {

    /** The {@link ProxyContext} attachment holding a request's {@link CappedStream}. */
    static final String STREAM = "dmlp.body";

    private final long limit;
    private final boolean upload;

    BodyCap(long limit, boolean upload) {
        this.limit = limit;
        this.upload = upload;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        Body body = request.getBody();
        if (body == null) {
            return context.sendRequest();
        }
        HttpServerRequest client = request.proxiedRequest();
        boolean[] answered = {false};
        CappedStream capped = new CappedStream(body.stream(), limit, () -> {
            if (answered[0]) {
                // The service answered before the body was complete; its answer is being cut off with it.
                client.connection().close();
            }
        });
        context.set(STREAM, capped);
        request.setBody(Body.body(capped, body.length()));
        return context.sendRequest().onSuccess(response -> {
            answered[0] = true;
            if (!capped.ended()) {
                // The service answered before it had the whole body (a 404, 401, 413...): the rest is neither
                // forwarded nor left half-read on the client's connection, which closes after the answer.
                capped.stop();
                response.putHeader(HttpHeaders.CONNECTION, "close");
                client.response().endHandler(ignored -> client.connection().close());
            }
        }).recover(failure -> {
            if (!capped.exceeded()) {
                return Future.failedFuture(failure);
            }
            ErrorResponses.closeAfterResponse(client);
            return Future.succeededFuture(request.response()
                    .setStatusCode(413)
                    .setStatusMessage("Payload Too Large")
                    .putHeader("Content-Type", "application/json")
                    .setBody(Body.body(ErrorResponses.body(413,
                            BodyLimitHandler.tooLarge("Request body", limit, upload), List.of(),
                            client.headers().get(RequestIds.HEADER)))));
        });
    }

    /** A body stream that fails instead of delivering the byte past {@code limit}. */
    static final class CappedStream implements ReadStream<Buffer> {

        private final ReadStream<Buffer> source;
        private final long limit;
        private final Runnable onExceeded;
        private Handler<Buffer> handler;
        private Handler<Throwable> exceptionHandler;
        private long received;
        private boolean exceeded;
        private boolean failed;
        private boolean ended;
        private boolean stopped;

        CappedStream(ReadStream<Buffer> source, long limit, Runnable onExceeded) {
            this.source = source;
            this.limit = limit;
            this.onExceeded = onExceeded;
        }

        boolean exceeded() {
            return exceeded;
        }

        /** Whether the body broke on the client's side: past the limit, or the client's stream failed. */
        boolean broken() {
            return exceeded || failed;
        }

        /** Whether the whole body has been delivered. */
        boolean ended() {
            return ended;
        }

        /** Delivers nothing more. */
        void stop() {
            stopped = true;
            source.pause();
        }

        private void deliver(Buffer chunk) {
            if (exceeded || stopped) {
                return;
            }
            received += chunk.length();
            if (received > limit) {
                exceeded = true;
                source.pause();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new IllegalStateException("request body exceeds " + limit + " bytes"));
                }
                onExceeded.run();
                return;
            }
            handler.handle(chunk);
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            source.handler(handler == null ? null : this::deliver);
            return this;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            this.exceptionHandler = handler;
            source.exceptionHandler(handler == null ? null : failure -> {
                failed = true;
                handler.handle(failure);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            source.endHandler(endHandler == null ? null : end -> {
                ended = true;
                endHandler.handle(end);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            source.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            if (!exceeded && !stopped) {
                source.resume();
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            if (!exceeded && !stopped) {
                source.fetch(amount);
            }
            return this;
        }
    }
}
