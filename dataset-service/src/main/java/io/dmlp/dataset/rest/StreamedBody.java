package io.dmlp.dataset.rest;

import io.dmlp.common.error.PayloadTooLargeException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import io.dmlp.dataset.service.BlockInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body as a blocking stream, read by a worker thread while the event loop receives it: chunks queue up to
 * {@value #PAUSE_AT} bytes, then the request is paused until the reader has taken them below {@value #RESUME_AT}.
 * So an upload is processed while it arrives and is never whole in memory. More than {@code limit} bytes is a 413.
 * If the answer goes out before the body was read to its end, the connection closes after it.
 */
final class StreamedBody extends BlockInputStream {

    static final int PAUSE_AT = 8 << 20;
    static final int RESUME_AT = 2 << 20;
    private static final Buffer END = Buffer.buffer();

    private final HttpServerRequest request;
    private final Context context;
    private final long limit;
    private final LinkedBlockingQueue<Buffer> chunks = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile Throwable failure;
    private Buffer chunk = Buffer.buffer();
    private int at;
    private long read;

    /** Call on the request's event loop, before it returns: from then on every chunk of the body is kept. */
    StreamedBody(RoutingContext routing, long limit) {
        this.request = routing.request();
        this.context = Vertx.currentContext();
        this.limit = limit;
        routing.addEndHandler(ignored -> {
            if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
                request.connection().close();
            }
        });
        request.handler(buffer -> {
            chunks.add(buffer);
            if (queued.addAndGet(buffer.length()) >= PAUSE_AT && paused.compareAndSet(false, true)) {
                request.pause();
            }
        });
        request.exceptionHandler(e -> {
            failure = e;
            chunks.add(END);
        });
        request.endHandler(ignored -> chunks.add(END));
        request.resume();
    }

    /** Blocks until a chunk is there, then takes as much as is queued, up to {@code len}. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (at == chunk.length()) {
                if (chunk == END) {
                    if (failure != null) {
                        throw new IOException("The request body could not be read", failure);
                    }
                    break;
                }
                Buffer next = n == 0 ? take() : chunks.poll();
                if (next == null) {
                    break; // nothing more queued: hand over what there is
                }
                chunk = next;
                at = 0;
                if (queued.addAndGet(-chunk.length()) < RESUME_AT && paused.compareAndSet(true, false)) {
                    context.runOnContext(ignored -> request.resume());
                }
                continue;
            }
            int take = Math.min(len - n, chunk.length() - at);
            chunk.getBytes(at, at + take, b, off + n);
            at += take;
            n += take;
        }
        if (n == 0) {
            return -1;
        }
        read += n;
        if (read > limit) {
            throw new PayloadTooLargeException("The request body exceeds the limit of " + limit + " bytes.");
        }
        return n;
    }

    private Buffer take() throws InterruptedIOException {
        try {
            return chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }
}
