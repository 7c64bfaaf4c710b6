package io.dmlp.common.client;

import io.dmlp.common.error.DependencyUnavailableException;

/** Ray did not answer, or answered with a server error: worth retrying, and a 503 for the caller. */
public class RayUnavailableException extends DependencyUnavailableException {
    public RayUnavailableException(String message) {
        super(message);
    }
}
