package io.dmlp.common.error;

/** 413: the request body exceeds the configured limit. */
public class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException(String message) {
        super(413, message);
    }
}
