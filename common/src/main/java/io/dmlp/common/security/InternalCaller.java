package io.dmlp.common.security;

import io.dmlp.common.config.InternalConfig;
import io.dmlp.common.error.NotAuthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the service credential of a call to an internal endpoint ({@link InternalConfig}). */
@ApplicationScoped
public class InternalCaller {

    /** The header a service sends its credential in. */
    public static final String HEADER = "X-DMLP-Internal-Token";

    private final byte[] expected;

    public InternalCaller(InternalConfig config) {
        this.expected = config.token().getBytes(StandardCharsets.UTF_8);
    }

    /** 401 unless {@code presented} is this deployment's service credential (compared in constant time). */
    public void require(String presented) {
        if (presented == null
                || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new NotAuthenticatedException("An internal endpoint needs the service credential.");
        }
    }
}
