package io.dmlp.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> JOB_TYPES = List.of("io.dmlp.training.", "io.dmlp.dataset.statistics.");

    @Test
    void aJobEventBecomesOneMessageWithTheWholeEventOnOneDataLine() {
        String payload = """
                {"specversion": "1.0", "id": "e-1", "source": "/dmlp/training-service",
                 "type": "io.dmlp.training.failed.v1", "subject": "42", "tenantid": "t-1",
                 "data": {"error": "line one\\nline two"}}""";

        JobEvent event = JobEvent.parse(JSON, payload, JOB_TYPES);

        assertThat(event.tenantId()).isEqualTo("t-1");
        assertThat(event.type()).isEqualTo("io.dmlp.training.failed.v1");
        assertThat(new String(event.message(), StandardCharsets.UTF_8)).isEqualTo("id: e-1\n"
                + "event: io.dmlp.training.failed.v1\n"
                + "data: {\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/dmlp/training-service\","
                + "\"type\":\"io.dmlp.training.failed.v1\",\"subject\":\"42\",\"tenantid\":\"t-1\","
                + "\"data\":{\"error\":\"line one\\nline two\"}}\n\n");
    }

    @Test
    void anotherKindOfEventIsNotAJobEvent() {
        assertThat(JobEvent.parse(JSON, "{\"id\": \"e-2\", \"type\": \"io.dmlp.dataset.dataset.created.v1\","
                + " \"tenantid\": \"t-1\"}", JOB_TYPES)).isNull();
    }

    @Test
    void anEventThatCouldBreakTheFramingOrNamesNoTenantIsRefused() {
        assertThatThrownBy(() -> JobEvent.parse(JSON, "{\"id\": \"e-3\\ndata: forged\","
                + " \"type\": \"io.dmlp.training.completed.v1\", \"tenantid\": \"t-1\"}", JOB_TYPES))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobEvent.parse(JSON, "{\"id\": \"e-4\", \"type\": \"io.dmlp.training.completed.v1\"}",
                JOB_TYPES)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobEvent.parse(JSON, "not json", JOB_TYPES))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
