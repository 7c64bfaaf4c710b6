package io.dmlp.gateway.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 written by hand on a socket, for what well-behaved clients refuse to send: lying or repeated
 * framing headers, and bodies streamed past a limit while the answer is read.
 */
final class RawHttp {

    /** What the gateway answered, and whether it then closed the connection. */
    record Response(int status, Map<String, String> headers, String body, boolean closedAfter, boolean writerStopped) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes a request body to the socket. */
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private RawHttp() {
    }

    static Socket connect(int port, String fromAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(fromAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and the body from a
     * second thread, reads the first response meanwhile, then checks whether the connection was closed.
     */
    static Response exchange(int port, String head, BodyWriter body) throws Exception {
        try (Socket socket = connect(port, "127.0.0.1")) {
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    body.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    // The gateway stopped reading: what the test wants to see when it refuses a body.
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            Response response = read(in);
            boolean closed;
            try {
                socket.setSoTimeout(5_000);
                closed = in.read() < 0;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true;
            }
            writer.join(TimeUnit.SECONDS.toMillis(10));
            return new Response(response.status(), response.headers(), response.body(), closed, !writer.isAlive());
        }
    }

    /** Reads one response with a Content-Length (or none: an empty body). */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8), false, true);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@code total} bytes in chunked encoding, 64 KiB a chunk, with the final empty chunk. */
    static BodyWriter chunked(long total) {
        return out -> {
            byte[] chunk = new byte[65536];
            Arrays.fill(chunk, (byte) 'x');
            for (long left = total; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                left -= n;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    /** {@code total} raw bytes. */
    static BodyWriter raw(long total) {
        return out -> {
            byte[] block = new byte[65536];
            Arrays.fill(block, (byte) 'x');
            for (long left = total; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        };
    }
}
