package io.dmlp.gateway.console;

import io.dmlp.gateway.routing.ErrorResponses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Serves the web console's built files at {@code /}. A path that names no file is a page of the single-page
 * app, so it gets {@code index.html} (the app routes it); a missing hashed asset stays a 404. Paths under
 * {@link ConsoleConfig#excludedPrefixes()} are passed on untouched, so the API and its JSON 404s are unaffected.
 * Every answer carries the strict Content-Security-Policy; hashed assets may be cached for long, the rest is
 * revalidated.
 */
@ApplicationScoped
public class ConsoleRoutes {

    private static final Logger LOG = Logger.getLogger(ConsoleRoutes.class);
    /** After the proxy routes (which own /api/v1/...), before Quarkus's own routes and their 404. */
    static final int CONSOLE_ORDER = -90;
    static final String INDEX = "index.html";

    private final ConsoleConfig config;
    private final Path root;

    public ConsoleRoutes(ConsoleConfig config) {
        this.config = config;
        this.root = config.dir().toAbsolutePath().normalize();
    }

    void register(@Observes Router router) {
        if (Files.isRegularFile(root.resolve(INDEX))) {
            LOG.infof("Serving the console from %s", root);
        } else {
            LOG.warnf("No console build in %s (run npm run build in console/): / answers 404", root);
        }
        router.route().order(CONSOLE_ORDER).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (excluded(path)) {
            ctx.next();
            return;
        }
        Path file = root.resolve(path.substring(1)).normalize();
        boolean hashed = path.startsWith(config.hashedAssetsPath());
        ctx.vertx().fileSystem().props(file.toString()).onComplete(props -> {
            // normalize() has resolved any "..": a path outside the build directory is treated as absent.
            if (props.succeeded() && props.result().isRegularFile() && file.startsWith(root)) {
                send(ctx, file, hashed);
            } else if (hashed) {
                ErrorResponses.send(ctx, 404, "No console asset " + path + ".", List.of());
            } else {
                sendIndex(ctx);
            }
        });
    }

    /** Under an excluded prefix, or the prefix itself without its slash ({@code /api}). */
    private boolean excluded(String path) {
        return config.excludedPrefixes().stream()
                .anyMatch(prefix -> path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1)));
    }

    private void sendIndex(RoutingContext ctx) {
        Path index = root.resolve(INDEX);
        ctx.vertx().fileSystem().exists(index.toString()).onComplete(exists -> {
            if (exists.succeeded() && exists.result()) {
                send(ctx, index, false);
            } else {
                ErrorResponses.send(ctx, 404, "The console is not built: run `npm ci && npm run build` in console/ "
                        + "(./dmlp up does).", List.of());
            }
        });
    }

    /** sendFile sets the Content-Type from the file's extension. */
    private void send(RoutingContext ctx, Path file, boolean hashed) {
        ctx.response()
                .putHeader("Content-Security-Policy", config.contentSecurityPolicy())
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, hashed
                        ? "public, max-age=" + config.assetMaxAge().toSeconds() + ", immutable"
                        : "no-cache")
                .sendFile(file.toString());
    }
}
