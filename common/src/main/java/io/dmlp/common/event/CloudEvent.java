package io.dmlp.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode, as published on the platform's topics.
 * {@code type} reads like {@code io.dmlp.training.completed.v1}; {@code tenantid} is an extension
 * attribute so consumers can filter without parsing {@code data}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        String tenantid,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    /**
     * A new event with a fresh id.
     *
     * @param source  the emitting service, e.g. {@code /dmlp/auth-service}
     * @param domain  the area, e.g. {@code training}
     * @param name    what happened, e.g. {@code completed}
     * @param subject the resource id the event is about
     */
    public static CloudEvent of(String source, String domain, String name, String subject, String tenantId,
            JsonNode data) {
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), source, typeOf(domain, name), subject,
                OffsetDateTime.now(ZoneOffset.UTC), "application/json", tenantId, data);
    }

    public static String typeOf(String domain, String name) {
        return "io.dmlp." + domain + "." + name + ".v1";
    }

    /** The Kafka record key: events of one resource stay ordered within a partition. */
    public String partitionKey() {
        return (tenantid == null ? "-" : tenantid) + "/" + (subject == null ? "-" : subject);
    }
}
