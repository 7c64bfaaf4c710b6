package io.dmlp.common.error;

/** 403: the caller is known but lacks the permission the operation names. */
public class PermissionDeniedException extends ApiException {
    public PermissionDeniedException(String message) {
        super(403, message);
    }
}
