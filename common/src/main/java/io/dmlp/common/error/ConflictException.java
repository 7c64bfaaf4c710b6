package io.dmlp.common.error;

/** 409: the request clashes with the current state (duplicate name, resource still in use). */
public class ConflictException extends ApiException {
    public ConflictException(String message) {
        super(409, message);
    }
}
