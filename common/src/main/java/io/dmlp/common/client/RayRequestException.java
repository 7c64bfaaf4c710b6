package io.dmlp.common.client;

/** Ray refused the request itself (4xx): retrying would not help; the message says what Ray answered. */
public class RayRequestException extends RuntimeException {

    private final int status;

    public RayRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
