package io.dmlp.common.error;

import java.util.List;

/**
 * Root of the platform's client-visible failures. Each subclass fixes one HTTP status; the message is
 * shown to the caller as is, so it must say what was wrong and never carry secrets or internals.
 * No stack trace is captured: these are answers, not faults.
 */
public abstract class ApiException extends RuntimeException {

    private final int status;
    private List<?> details = List.of();

    protected ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** Attaches structured, client-safe detail (field errors, failing components). */
    public ApiException withDetails(List<?> details) {
        this.details = details == null ? List.of() : List.copyOf(details);
        return this;
    }

    /** The HTTP status this failure is answered with. */
    public int status() {
        return status;
    }

    public List<?> details() {
        return details;
    }
}
