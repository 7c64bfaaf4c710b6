package io.dmlp.dataset.client;

import io.dmlp.common.config.S3Config;
import io.dmlp.common.error.DependencyUnavailableException;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;

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
