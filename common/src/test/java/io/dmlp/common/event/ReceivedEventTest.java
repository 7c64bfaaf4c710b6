package io.dmlp.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a consumer gets from a topic's payload, and why it skips one it cannot act on. */
class ReceivedEventTest {

    /** Configured as Quarkus configures the services' mapper. */
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void aPublishedEventGivesItsIdTypeTenantAndData() throws Exception {
        UUID tenant = UUID.randomUUID();
        CloudEvent published = CloudEvent.of("/dmlp/dataset-service", "dataset", "file.added", "7",
                tenant.toString(), json.valueToTree(Map.of("dataset_id", 7, "file_id", 42)));

        ReceivedEvent event = ReceivedEvent.parse(json, json.writeValueAsString(published));

        assertThat(event.id()).isEqualTo(published.id());
        assertThat(event.type()).isEqualTo("io.dmlp.dataset.file.added.v1");
        assertThat(event.tenantId()).isEqualTo(tenant);
        assertThat(event.data().path("file_id").asLong()).isEqualTo(42);
    }

    @Test
    void anEventWithoutDataGivesAMissingNodeNotNull() {
        ReceivedEvent event = ReceivedEvent.parse(json, "{\"id\": \"e1\", \"type\": \"io.dmlp.x.y.v1\","
                + " \"tenantid\": \"" + UUID.randomUUID() + "\", \"extension\": \"ignored\"}");

        assertThat(event.data().isMissingNode()).isTrue();
        assertThat(event.data().path("train_id").canConvertToLong()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "malformed JSON      | `{\"id\": \"e1\", \"type\": `                                           | not a CloudEvent's JSON",
        "not an object       | `[1, 2]`                                                                | not a CloudEvent's JSON",
        "a bad time          | `{\"id\": \"e1\", \"type\": \"t\", \"time\": \"yesterday\"}`            | not a CloudEvent's JSON",
        "JSON null           | `null`                                                                  | not a CloudEvent's JSON",
        "empty payload       | `  `                                                                    | an empty payload",
        "missing id          | `{\"type\": \"t\", \"tenantid\": \"8e3c6a39-2b51-4c59-9a36-0f1d2c3b4a5e\"}` | without an id",
        "missing type        | `{\"id\": \"e1\", \"tenantid\": \"8e3c6a39-2b51-4c59-9a36-0f1d2c3b4a5e\"}`  | CloudEvent e1 has no type",
        "blank type          | `{\"id\": \"e1\", \"type\": \" \", \"tenantid\": \"8e3c6a39-2b51-4c59-9a36-0f1d2c3b4a5e\"}` | CloudEvent e1 has no type",
        "missing tenant      | `{\"id\": \"e1\", \"type\": \"t\"}`                                     | CloudEvent e1 (t) has no tenantid",
        "a tenant not a UUID | `{\"id\": \"e1\", \"type\": \"t\", \"tenantid\": \"acme\"}`              | tenantid that is not a UUID: acme",
    })
    void aPayloadAConsumerCannotActOnIsRefusedSayingWhy(String what, String payload, String why) {
        assertThatThrownBy(() -> ReceivedEvent.parse(json, payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @Test
    void aNullPayloadIsRefused() {
        assertThatThrownBy(() -> ReceivedEvent.parse(json, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an empty payload");
    }
}
