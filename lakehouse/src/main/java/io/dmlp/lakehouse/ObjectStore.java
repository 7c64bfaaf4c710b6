package io.dmlp.lakehouse;

import io.dmlp.common.config.S3Config;
import io.dmlp.common.error.DependencyUnavailableException;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.StatObjectArgs;
import io.minio.Result;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.http.Method;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Objects in the platform's bucket (raw uploads, model artifacts) and time-limited URLs that let a Ray job read or
 * write one object without the store's keys. Blocking: call it from worker threads.
 */
@ApplicationScoped
public class ObjectStore {

    /** Parts of a multipart upload; bounds the memory one upload holds. */
    static final long PART_SIZE = 10L * 1024 * 1024;

    private final MinioClient client;
    private final String bucket;

    /** {@code client}: quarkus-minio's, configured from {@code dmlp.s3.*} (this module's microprofile-config). */
    public ObjectStore(MinioClient client, S3Config config) {
        this.client = client;
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

    /** The size in bytes of the object at {@code key}. */
    public long size(String key) {
        try {
            return client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
        } catch (Exception e) {
            throw unavailable("read the size of " + key, e);
        }
    }

    /** The {@code s3://bucket/key} location of {@code key} in the platform's bucket. */
    public String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /**
     * A URL that lets its holder GET the object at {@code location} ({@code s3://bucket/key}, e.g. an Iceberg data
     * file) and nothing else, for {@code validFor}: what a Ray job gets instead of the store's keys.
     */
    public String readUrl(String location, Duration validFor) {
        return presign(Method.GET, location, validFor);
    }

    /** A URL that lets its holder PUT the object at {@code location} and nothing else, for {@code validFor}. */
    public String writeUrl(String location, Duration validFor) {
        return presign(Method.PUT, location, validFor);
    }

    private String presign(Method method, String location, Duration validFor) {
        S3Location object = S3Location.parse(location);
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(method)
                    .bucket(object.bucket()).object(object.key())
                    .expiry((int) validFor.toSeconds(), TimeUnit.SECONDS).build());
        } catch (Exception e) {
            throw unavailable("sign a " + method + " of " + location, e);
        }
    }

    public void delete(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw unavailable("delete " + key, e);
        }
    }

    /** Deletes every object whose key starts with {@code prefix}; none is fine. */
    public void deletePrefix(String prefix) {
        try {
            List<DeleteObject> keys = new ArrayList<>();
            for (Result<io.minio.messages.Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix(prefix).recursive(true).build())) {
                keys.add(new DeleteObject(item.get().objectName()));
            }
            for (Result<DeleteError> error : client.removeObjects(RemoveObjectsArgs.builder().bucket(bucket)
                    .objects(keys).build())) {
                throw new IllegalStateException("could not delete " + error.get().objectName());
            }
        } catch (Exception e) {
            throw unavailable("delete " + prefix, e);
        }
    }

    private static DependencyUnavailableException unavailable(String what, Exception cause) {
        return new DependencyUnavailableException("The object store could not " + what + ": "
                + cause.getClass().getSimpleName());
    }
}
