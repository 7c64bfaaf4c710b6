package io.dmlp.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A job event as the stream sends it: the tenant it belongs to, and its server-sent message, framed once for every
 * client that receives it.
 *
 * @param type     the CloudEvent type, e.g. {@code io.dmlp.training.completed.v1}
 * @param tenantId the CloudEvent's {@code tenantid}: only that tenant's streams receive it
 * @param message  {@code id: <id>\nevent: <type>\ndata: <the CloudEvent as one line of JSON>\n\n}, UTF-8
 */
record JobEvent(String type, String tenantId, byte[] message) {

    /**
     * The job event a topic's record carries, or null when it carries another kind of event (a type outside
     * {@code jobTypes}).
     *
     * @param jobTypes the type prefixes of job events
     * @throws IllegalArgumentException saying why, when the payload is not a CloudEvent's JSON with an id, a type and
     *                                  a tenant, or its id or type could break the message's framing
     */
    static JobEvent parse(ObjectMapper json, String payload, List<String> jobTypes) {
        JsonNode event;
        try {
            event = payload == null ? null : json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("not a CloudEvent's JSON");
        }
        String type = event.path("type").asText("");
        if (jobTypes.stream().noneMatch(type::startsWith)) {
            return null;
        }
        String id = event.path("id").asText("");
        String tenantId = event.path("tenantid").asText("");
        if (id.isEmpty() || tenantId.isEmpty()) {
            throw new IllegalArgumentException(type + " without an id or a tenantid");
        }
        // A line break in a field would let the event's own content start fields or events of its own.
        if (breaksLine(id) || breaksLine(type)) {
            throw new IllegalArgumentException(type + " has a line break in its id or type");
        }
        // JsonNode.toString() writes compact JSON: no line breaks outside strings, escaped inside them.
        String message = "id: " + id + "\nevent: " + type + "\ndata: " + event + "\n\n";
        return new JobEvent(type, tenantId, message.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean breaksLine(String field) {
        return field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0;
    }
}
