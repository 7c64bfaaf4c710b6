package io.dmlp.common.error;

/** 429: the caller must wait {@link #retryAfterSeconds()} before trying again (sent as {@code Retry-After}). */
public class TooManyRequestsException extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super(429, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
