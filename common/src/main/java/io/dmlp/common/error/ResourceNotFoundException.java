package io.dmlp.common.error;

/** 404: no such resource in the caller's tenant (another tenant's resource is reported the same way). */
public class ResourceNotFoundException extends ApiException {
    public ResourceNotFoundException(String message) {
        super(404, message);
    }
}
