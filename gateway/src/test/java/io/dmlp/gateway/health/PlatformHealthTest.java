package io.dmlp.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmlp.gateway.health.PlatformHealth.Report;
import io.dmlp.gateway.health.PlatformHealth.ServiceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformHealthTest {

    @Test
    void groupsFailingComponentsAcrossServices() {
        Report report = new Report(List.of(
                new ServiceState("dataset-service", false, List.of("s3", "ray")),
                new ServiceState("training-service", false, List.of("ray")),
                new ServiceState("auth-service", true, List.of()),
                new ServiceState("catalog-service", false, List.of("unreachable"))));

        assertThat(report.healthy()).isFalse();
        assertThat(report.failingComponents()).containsOnlyKeys("catalog-service", "ray", "s3");
        assertThat(report.failingComponents().get("ray")).containsExactly("dataset-service", "training-service");
    }

    @Test
    void readsQuarkusHealthBodies() {
        String down = """
                {"status":"DOWN","checks":[{"name":"postgresql","status":"UP"},
                {"name":"kafka","status":"DOWN","data":{"error":"TimeoutException"}}]}""";

        assertThat(PlatformHealth.parse("auth-service", 503, down))
                .isEqualTo(new ServiceState("auth-service", false, List.of("kafka")));
        assertThat(PlatformHealth.parse("auth-service", 200, "{\"status\":\"UP\",\"checks\":[]}").ready()).isTrue();
        assertThat(PlatformHealth.parse("auth-service", 500, "<html>").failing()).containsExactly("unreadable-health");
    }
}
