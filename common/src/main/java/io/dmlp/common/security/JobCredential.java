package io.dmlp.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The credential a Ray job presents when it posts its result back: random, bound to that one job, stored only
 * as its SHA-256 hash. Anything else presented on a callback is refused (401).
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

    /** Whether the {@code Authorization} header carries the token whose hash is {@code storedHash}. */
    public static boolean presented(String authorization, String storedHash) {
        if (authorization == null || storedHash == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(hash(authorization.substring(7).strip()).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
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
