package io.dmlp.gateway.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The web console: the built files the gateway serves at {@code /}, and the headers it serves them with. */
@ConfigMapping(prefix = "dmlp.console")
public interface ConsoleConfig {

    /**
     * The console's build output ({@code console/dist}, written by {@code npm run build}). A relative path is
     * taken from the gateway's working directory; {@code ./dmlp} sets it to the clone's through the environment
     * variable {@code DMLP_CONSOLE_DIR}.
     * When it holds no {@code index.html} the console's paths answer 404 saying so, and the API is unaffected.
     */
    @WithDefault("console/dist")
    Path dir();

    /**
     * Path prefixes the console never answers, so their 404s stay the API's JSON ones: the API, Quarkus's
     * own endpoints, the JWKS document and the services' internal paths (never routed, 404 here too).
     */
    @WithDefault("/api/,/q/,/.well-known/,/internal/")
    List<String> excludedPrefixes();

    /**
     * The Content-Security-Policy of every console answer: scripts, styles and connections from this origin
     * only (the build inlines nothing), no plugins, no framing, no {@code <base>} rewriting.
     */
    @WithDefault("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'")
    String contentSecurityPolicy();

    /**
     * The directory below {@link #dir()} whose files carry a content hash in their names (Vite's
     * {@code assets/}): they never change, so browsers may keep them for {@link #assetMaxAge()}.
     */
    @WithDefault("/assets/")
    String hashedAssetsPath();

    /** How long a browser may keep a hashed asset without asking again. */
    @WithDefault("365d")
    Duration assetMaxAge();
}
