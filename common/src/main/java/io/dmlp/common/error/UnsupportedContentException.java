package io.dmlp.common.error;

/** 415: the body's media type or content is not one the operation accepts. */
public class UnsupportedContentException extends ApiException {
    public UnsupportedContentException(String message) {
        super(415, message);
    }
}
