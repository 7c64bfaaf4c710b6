package io.dmlp.dataset.service;

import io.dmlp.lakehouse.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * An upload's bytes on their way to the object store while the validator reads them: every chunk read through this
 * stream is handed to a thread that streams it to {@code key}. At most {@value #CHUNKS} chunks wait, so the file is
 * never whole in memory, and a slow store slows the reading down rather than filling the heap.
 */
final class RawCopy extends BlockInputStream {

    private static final int CHUNKS = 8;
    private static final byte[] END = new byte[0];
    private static final byte[] FAILED = new byte[0];

    private final InputStream source;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private final FutureTask<Void> storing;
    private long size;
    private boolean ended;

    RawCopy(InputStream source, ObjectStore store, String key, Executor executor) {
        this.source = source;
        this.storing = new FutureTask<>(() -> {
            store.put(key, new Chunks(), -1, "text/csv");
            return null;
        });
        executor.execute(storing);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = source.read(b, off, len);
        if (n > 0) {
            hand(Arrays.copyOfRange(b, off, off + n));
            size += n;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return source.available();
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a raw copy reads every byte");
    }

    @Override
    public void close() {
        // the source belongs to the caller
    }

    /** Reads what is left, waits until the object is stored and returns its size in bytes. */
    long finish() throws IOException {
        transferTo(OutputStream.nullOutputStream());
        ended = true;
        hand(END);
        try {
            storing.get();
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
        return size;
    }

    /** Stops the copy without storing a complete object (the store aborts its upload). */
    void abandon() {
        if (!ended) {
            ended = true;
            chunks.clear();
            chunks.offer(FAILED);
        }
        try {
            storing.get();
        } catch (ExecutionException expected) {
            // the put failed, as it should
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hand(byte[] chunk) throws IOException {
        try {
            while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (storing.isDone()) {
                    finish(storing);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    private static IOException failure(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new IOException(e.getCause());
    }

    /** The store stopped reading before the end: its failure is the upload's. */
    private static void finish(FutureTask<Void> storing) throws IOException {
        try {
            storing.get();
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
        throw new IOException("the object store stopped reading the upload early");
    }

    /** What the store reads: the chunks in order. */
    private final class Chunks extends BlockInputStream {

        private byte[] chunk = new byte[0];
        private int at;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (at == chunk.length) {
                if (chunk == END) {
                    return -1;
                }
                try {
                    chunk = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                at = 0;
                if (chunk == FAILED) {
                    throw new IOException("the upload failed; its raw copy is abandoned");
                }
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        }
    }
}
