package io.dmlp.gateway.edge;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A catalog-service that answers 404 as soon as it has a request's head, without reading a byte of its body,
 * as a service that refuses a request early does. How it then leaves the connection depends on the path:
 * {@code /api/v1/template/reset-*} resets it at once, {@code /api/v1/template/close-*} closes it at once (with
 * the body unread, the kernel resets it too), {@code /api/v1/template/late-close-*} closes it a moment later;
 * {@code /api/v1/template/slow-*} answers only after a second.
 * datalake-service is a port nothing listens on.
 */
public class EarlyAnswerStub implements QuarkusTestResourceLifecycleManager {

    static final String ANSWER = "{\"status_code\":404,\"message\":\"Template not found.\",\"details\":[]}";

    private ServerSocket server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "early-answer-stub");
        acceptor.setDaemon(true);
        acceptor.start();
        String url = "http://127.0.0.1:" + server.getLocalPort();
        Map<String, String> config = new HashMap<>();
        for (String service : UpstreamStub.SERVICES) {
            String serviceUrl = service.equals("catalog-service") ? url : "http://127.0.0.1:9";
            config.put("dmlp.gateway.services." + service + ".url", serviceUrl);
            config.put("dmlp.gateway.services." + service + ".management-url", serviceUrl);
        }
        return config;
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Stopping anyway.
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> answer(socket), "early-answer-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(Socket socket) {
        try (socket) {
            String path = path(socket.getInputStream());
            if (path == null) {
                return;
            }
            if (path.startsWith("/api/v1/template/slow-")) {
                Thread.sleep(1000);
            }
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (path.startsWith("/api/v1/template/reset-")) {
                socket.setSoLinger(true, 0);
            } else if (path.startsWith("/api/v1/template/late-close-")) {
                Thread.sleep(300);
            }
        } catch (IOException | InterruptedException e) {
            // The gateway went away first: nothing to answer.
        }
    }

    /** Reads a request's head, no further, and returns the path of its request line. */
    private static String path(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < end.length && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < end.length) {
            return null;
        }
        String requestLine = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
        return requestLine.split(" ")[1];
    }
}
