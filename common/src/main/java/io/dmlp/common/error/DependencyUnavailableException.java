package io.dmlp.common.error;

/** 503: a dependency the operation needs (database, Kafka, S3, Ray) is not available right now. */
public class DependencyUnavailableException extends ApiException {
    public DependencyUnavailableException(String message) {
        super(503, message);
    }
}
