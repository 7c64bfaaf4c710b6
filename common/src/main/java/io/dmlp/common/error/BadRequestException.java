package io.dmlp.common.error;

/** 400: the request is malformed (unparseable body, missing or mistyped parameter). */
public class BadRequestException extends ApiException {
    public BadRequestException(String message) {
        super(400, message);
    }
}
