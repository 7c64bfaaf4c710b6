package io.dmlp.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A POST written by hand on a socket, for what an HTTP client library will not do: declare a body and send only
 * part of it, or send one chunked with no length at all.
 */
final class RawHttp {

    /** The status and whether the server closed the connection after answering. */
    record Answer(int status, String text, boolean closed) {
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)");

    private RawHttp() {
    }

    /** Declares {@code declaredLength} bytes and sends only {@code body}, then reads the answer within 10 s. */
    static Answer postPartially(URL url, String authorization, long declaredLength, byte[] body) throws IOException {
        return exchange(url, authorization, "Content-Length: " + declaredLength, body, false);
    }

    /** Sends {@code body} in 64 KiB chunks without any Content-Length. */
    static Answer postChunked(URL url, String authorization, byte[] body) throws IOException {
        return exchange(url, authorization, "Transfer-Encoding: chunked", body, true);
    }

    private static Answer exchange(URL url, String authorization, String framing, byte[] body, boolean chunked)
            throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
                    + "Content-Type: application/json\r\n" + framing + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                if (chunked) {
                    for (int at = 0; at < body.length; at += 65_536) {
                        int size = Math.min(65_536, body.length - at);
                        out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, at, size);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(body);
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before the body is through: read its answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; !complete(received.toString(StandardCharsets.UTF_8)) && (n = in.read(buffer)) != -1;) {
                received.write(buffer, 0, n);
            }
            String text = received.toString(StandardCharsets.UTF_8);
            if (!complete(text)) {
                throw new IOException("incomplete answer: " + text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text, closedAfter(socket, in));
        }
    }

    /** Whether the server ends the connection within 3 s of its answer (end of stream or a reset). */
    private static boolean closedAfter(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(3_000);
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** Whether the head and as many body bytes as its Content-Length says have arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end));
        return !length.find()
                || text.substring(end + 4).getBytes(StandardCharsets.UTF_8).length >= Integer.parseInt(length.group(1));
    }
}
