package io.dmlp.lakehouse;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where an object lies, as Iceberg, the jobs and the platform's events name it: {@code s3://bucket/key}.
 *
 * @param bucket the bucket (the location's host)
 * @param key    the object's key: the location's path without its leading {@code /}, never empty
 */
public record S3Location(String bucket, String key) {

    /**
     * The bucket and key of {@code location}.
     *
     * @throws IllegalArgumentException naming {@code location} when it is not {@code s3://bucket/key}
     */
    public static S3Location parse(String location) {
        URI uri;
        try {
            uri = new URI(location == null ? "" : location);
        } catch (URISyntaxException e) {
            throw notALocation(location);
        }
        // An authority with a user or port is no bucket name: only the bare host is.
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || !uri.getHost().equals(uri.getRawAuthority())
                || uri.getPath() == null || uri.getPath().length() < 2) {
            throw notALocation(location);
        }
        return new S3Location(uri.getHost(), uri.getPath().substring(1));
    }

    private static IllegalArgumentException notALocation(String location) {
        return new IllegalArgumentException("Not an s3://bucket/key location: " + location);
    }
}
