package io.dmlp.gateway.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for every service behind the gateway, API and management interface alike, and tells the tests
 * what reached it: each request's path, the body bytes it received (and whether the body ended normally),
 * its forwarding headers, and how often readiness was asked. Tests read that over HTTP
 * ({@code GET /__stub/requests}), so they do not depend on sharing a class loader with it.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    static final List<String> SERVICES = List.of("auth-service", "catalog-service", "dataset-service",
            "training-service", "inference-service", "datalake-service");

    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger readinessCalls = new AtomicInteger();
    private volatile int readinessStatus = 200;
    private volatile String readinessBody = "{\"status\":\"UP\",\"checks\":[]}";
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> config = new HashMap<>();
        for (String service : SERVICES) {
            config.put("dmlp.gateway.services." + service + ".url", url);
            config.put("dmlp.gateway.services." + service + ".management-url", url);
        }
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/q/health/ready" -> {
                readinessCalls.incrementAndGet();
                respond(exchange, readinessStatus, readinessBody);
            }
            case "/__stub/readiness" -> {
                String query = exchange.getRequestURI().getQuery();
                readinessBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                readinessStatus = Integer.parseInt(query.substring("status=".length()));
                respond(exchange, 204, null);
            }
            case "/__stub/requests" -> respond(exchange, 200, new JsonObject()
                    .put("readiness_calls", readinessCalls.get())
                    .put("requests", new JsonArray(List.copyOf(requests))).encode());
            default -> record(exchange);
        }
    }

    private void record(HttpExchange exchange) throws IOException {
        long received = 0;
        boolean complete = true;
        byte[] buffer = new byte[65536];
        try (InputStream body = exchange.getRequestBody()) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                received += n;
            }
        } catch (IOException e) {
            complete = false;
        }
        requests.add(new JsonObject()
                .put("method", exchange.getRequestMethod())
                .put("path", exchange.getRequestURI().getRawPath())
                .put("received", received)
                .put("complete", complete)
                .put("x_forwarded_for", exchange.getRequestHeaders().get("X-Forwarded-For"))
                .put("forwarded", exchange.getRequestHeaders().get("Forwarded"))
                .put("x_real_ip", exchange.getRequestHeaders().get("X-Real-IP")));
        if (complete) {
            respond(exchange, 200, new JsonObject().put("received", received).encode());
        } else {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
