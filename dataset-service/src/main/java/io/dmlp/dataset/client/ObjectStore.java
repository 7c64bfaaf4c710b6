package io.dmlp.dataset.client;

import io.dmlp.common.config.S3Config;
import io.dmlp.common.error.DependencyUnavailableException;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.http.Method;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The raw files in the platform's bucket. Blocking: call it from worker threads. */
@ApplicationScoped
public class ObjectStore {

    /** Parts of a multipart upload; bounds the memory one upload holds. */
    static final long PART_SIZE = 10L * 1024 * 1024;

    private final MinioClient client;
    private final String bucket;

    public ObjectStore(S3Config config) {
        this.client = MinioClient.builder().endpoint(config.endpoint()).region(config.region())
                .credentials(config.accessKey(), config.secretKey()).build();
        this.bucket = config.bucket();
    }

    /** Streams {@code size} bytes of {@code content} to {@code key}. */
    public void put(String key, InputStream content, long size, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(content, size, PART_SIZE).contentType(contentType).build());
        } catch (Exception e) {
            throw unavailable("store " + key, e);
        }
    }

    public InputStream get(String key) {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw unavailable("read " + key, e);
        }
    }

    /**
     * A URL that lets its holder GET the object at {@code location} ({@code s3://bucket/key}, e.g. an Iceberg data
     * file) and nothing else, for {@code validFor}: what a Ray job gets instead of the store's keys.
     */
    public String readUrl(String location, Duration validFor) {
        URI uri = URI.create(location);
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("Not an s3://bucket/key location: " + location);
        }
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
                    .bucket(uri.getHost()).object(uri.getPath().substring(1))
                    .expiry((int) validFor.toSeconds(), TimeUnit.SECONDS).build());
        } catch (Exception e) {
            throw unavailable("sign a read of " + location, e);
        }
    }

    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw unavailable("delete " + key, e);
        }
    }

    private static DependencyUnavailableException unavailable(String what, Exception cause) {
        return new DependencyUnavailableException("The object store could not " + what + ": "
                + cause.getClass().getSimpleName());
    }
}
