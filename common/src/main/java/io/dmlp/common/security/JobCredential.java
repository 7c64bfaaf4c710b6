package io.dmlp.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The credential a Ray job presents when it posts its result back: random, bound to that one job, stored only
 * as its SHA-256 hash, by which the job is found again ({@link io.dmlp.common.callback.JobCallbacks}). Anything
 * else presented on a callback is refused (401).
 */
public record JobCredential(String token, String hash) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new credential; hand {@link #token()} to the job and store {@link #hash()}. */
    public static JobCredential issue() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        return new JobCredential(token, hash(token));
    }

    /**
     * The hash of the token an {@code Authorization: Bearer <token>} header presents, to find the job it was issued
     * to (tokens are 256 random bits, so their hashes identify jobs); empty without a bearer token.
     */
    public static Optional<String> presentedHash(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(hash(token));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "JobCredential[token=***]";
    }
}
