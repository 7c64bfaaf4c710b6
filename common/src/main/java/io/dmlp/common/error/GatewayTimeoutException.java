package io.dmlp.common.error;

/** 504: the operation waited its bounded time for work it started (e.g. a Ray job) and stopped waiting. */
public class GatewayTimeoutException extends ApiException {
    public GatewayTimeoutException(String message) {
        super(504, message);
    }
}
