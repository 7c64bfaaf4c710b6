package io.dmlp.common.error;

/** 422: well-formed but semantically invalid input (failed validation or business rule). */
public class UnprocessableEntityException extends ApiException {
    public UnprocessableEntityException(String message) {
        super(422, message);
    }
}
