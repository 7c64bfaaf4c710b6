package io.dmlp.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads Ray's token from {@link RayConfig#tokenFile()} on each use, so a rotated token is picked up. */
public final class RayAuth {

    private RayAuth() {
    }

    /** The {@code Authorization} header value, or empty when Ray runs without token authentication. */
    public static Optional<String> authorizationHeader(RayConfig config) {
        return config.tokenFile().map(file -> {
            try {
                return "Bearer " + Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read Ray token file " + file, e);
            }
        });
    }
}
