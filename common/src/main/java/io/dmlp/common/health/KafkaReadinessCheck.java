package io.dmlp.common.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Kafka cluster answers a metadata request. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "dmlp.health.kafka", stringValue = "true")
public class KafkaReadinessCheck implements AsyncHealthCheck {

    private final Admin admin;

    public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        int timeoutMs = (int) Probes.TIMEOUT.toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int timeoutMs = (int) Probes.TIMEOUT.toMillis();
        return Probes.probe("kafka", Uni.createFrom()
                .completionStage(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                        .clusterId().toCompletionStage())
                .replaceWithVoid());
    }

    void close(@Observes ShutdownEvent shutdown) {
        admin.close();
    }
}
