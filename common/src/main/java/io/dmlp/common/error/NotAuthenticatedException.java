package io.dmlp.common.error;

/** 401: no credential, or one that is expired, forged or revoked. */
public class NotAuthenticatedException extends ApiException {
    public NotAuthenticatedException(String message) {
        super(401, message);
    }
}
