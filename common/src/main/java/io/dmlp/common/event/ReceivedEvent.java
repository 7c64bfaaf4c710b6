package io.dmlp.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.UUID;

/**
 * A {@link CloudEvent} as a consumer takes it from a topic: what it handles, checked once here. A consumer skips a
 * payload {@link #parse} refuses, and acts only within {@link #tenantId()}: the tenant must own whatever the event
 * touches.
 *
 * @param id       the event id, what {@code IdempotentConsumer} deduplicates on
 * @param type     e.g. {@code io.dmlp.training.completed.v1}
 * @param tenantId the tenant the event is about
 * @param data     the event's data; a missing node (never null) when it has none
 */
public record ReceivedEvent(String id, String type, UUID tenantId, JsonNode data) {

    /**
     * Reads a structured-mode CloudEvent from a topic's payload.
     *
     * @throws IllegalArgumentException saying why, when {@code payload} is not a CloudEvent's JSON or lacks an id,
     *                                  a type, or a tenant id that is a UUID
     */
    public static ReceivedEvent parse(ObjectMapper json, String payload) {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("an empty payload is not a CloudEvent");
        }
        CloudEvent event;
        try {
            event = json.readValue(payload, CloudEvent.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a CloudEvent's JSON: " + e.getMessage(), e);
        }
        if (event == null) {
            throw new IllegalArgumentException("not a CloudEvent's JSON: null");
        }
        if (event.id() == null || event.id().isBlank()) {
            throw new IllegalArgumentException("a CloudEvent without an id");
        }
        if (event.type() == null || event.type().isBlank()) {
            throw new IllegalArgumentException("CloudEvent " + event.id() + " has no type");
        }
        if (event.tenantid() == null) {
            throw new IllegalArgumentException("CloudEvent " + event.id() + " (" + event.type() + ") has no tenantid");
        }
        UUID tenantId;
        try {
            tenantId = UUID.fromString(event.tenantid());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CloudEvent " + event.id() + " (" + event.type() + ") has a tenantid"
                    + " that is not a UUID: " + event.tenantid(), e);
        }
        return new ReceivedEvent(event.id(), event.type(), tenantId,
                event.data() == null ? MissingNode.getInstance() : event.data());
    }
}
