package io.dmlp.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.event.CloudEvent;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records an event in the same transaction as the state change it announces; {@link OutboxRelay}
 * publishes it afterwards. Call it inside the caller's {@code @WithTransaction}: if the transaction
 * rolls back, the event never existed.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.outbox.enabled", stringValue = "true")
public class Outbox {

    static final String INSERT = "insert into outbox_event (id, topic, message_key, event_type, tenant_id, payload)"
            + " values (cast(?1 as uuid), ?2, ?3, ?4, ?5, ?6)";

    private final ObjectMapper json;
    private final OutboxConfig config;

    public Outbox(ObjectMapper json, OutboxConfig config) {
        this.json = json;
        this.config = config;
    }

    /**
     * Appends a new event about {@code subject} to {@code topic} (the base name: the relay adds this
     * environment's prefix); returns it as it will be published.
     */
    public Uni<CloudEvent> append(String topic, String domain, String name, String subject, String tenantId,
            Object data) {
        JsonNode payload = json.valueToTree(data);
        CloudEvent event = CloudEvent.of(config.source(), domain, name, subject, tenantId, payload);
        return append(topic, event).replaceWith(event);
    }

    public Uni<Void> append(String topic, CloudEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Event is not serialisable: " + event.type(), e));
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter(1, event.id())
                .setParameter(2, topic)
                .setParameter(3, event.partitionKey())
                .setParameter(4, event.type())
                .setParameter(5, event.tenantid())
                .setParameter(6, payload)
                .executeUpdate())
                .replaceWithVoid();
    }
}
