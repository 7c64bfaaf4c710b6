package io.dmlp.gateway.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A client of the event stream, as a browser's streaming reader sees it: line by line, as the lines arrive. */
final class SseClient implements AutoCloseable {

    /** One block of the stream, up to its blank line: a message's fields, or a comment. */
    record Block(List<String> lines) {

        boolean isComment() {
            return lines.stream().allMatch(line -> line.startsWith(":"));
        }

        /** A field's value, e.g. {@code field("event")}; null when the block has none. */
        String field(String name) {
            return lines.stream().filter(line -> line.startsWith(name + ": ")).findFirst()
                    .map(line -> line.substring(name.length() + 2)).orElse(null);
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException e) {
                // close(): the client hung up
            }
        }, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; returns once the response's headers are in. */
    static SseClient open(URI uri, String token) throws IOException, InterruptedException {
        return new SseClient(HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofLines()));
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The next block, or null when none is complete within {@code timeout}. */
    Block next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> block = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            if (!line.isEmpty()) {
                block.add(line);
            } else if (!block.isEmpty()) {
                return new Block(block);
            }
        }
    }

    /** The messages (comments skipped) in their order, up to the one that completes {@code ids}. */
    List<Block> messagesUntil(Collection<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> missing = new HashSet<>(ids);
        List<Block> messages = new ArrayList<>();
        while (!missing.isEmpty()) {
            Block block = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (block == null) {
                throw new AssertionError("messages " + missing + " not received within " + timeout + "; got "
                        + messages);
            }
            if (!block.isComment()) {
                messages.add(block);
                missing.remove(block.field("id"));
            }
        }
        return messages;
    }

    /** Hangs up, as a browser tab closing. */
    @Override
    public void close() {
        response.body().close();
    }
}
