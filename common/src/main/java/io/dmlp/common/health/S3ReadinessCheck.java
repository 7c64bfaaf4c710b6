package io.dmlp.common.health;

import io.dmlp.common.config.S3Config;
import io.minio.BucketExistsArgs;
import io.minio.MinioAsyncClient;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the object store answers and the platform's bucket exists. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "dmlp.health.s3", stringValue = "true")
public class S3ReadinessCheck implements AsyncHealthCheck {

    private final MinioAsyncClient client;
    private final String bucket;

    /** {@code client}: quarkus-minio's, which the lakehouse module configures from {@code dmlp.s3.*}. */
    public S3ReadinessCheck(MinioAsyncClient client, S3Config config) {
        this.client = client;
        // The async client serves only this probe: a hung store must not keep its connections for minutes.
        this.client.setTimeout(Probes.TIMEOUT.toMillis(), Probes.TIMEOUT.toMillis(), Probes.TIMEOUT.toMillis());
        this.bucket = config.bucket();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.probe("s3", Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .onItem().transform(exists -> {
                    if (!exists) {
                        throw new IllegalStateException("bucket '" + bucket + "' does not exist");
                    }
                    return exists;
                })
                .replaceWithVoid());
    }
}
