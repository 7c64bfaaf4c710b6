package io.dmlp.catalog.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.catalog.service.TemplateService;
import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.event.ReceivedEvent;
import io.dmlp.common.outbox.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Learns from dataset-service's events which datasets use which template, so a template in use cannot be
 * deleted without asking dataset-service, and each dataset's name and columns, so a template can be made from a
 * dataset without calling it back. Each event is applied once (redeliveries are skipped), and only to its own
 * tenant's records: the template must be the event tenant's, a deletion frees and forgets only that tenant's.
 */
@ApplicationScoped
public class DatasetEventConsumer {

    private static final Logger LOG = Logger.getLogger(DatasetEventConsumer.class);
    static final String CONSUMER = "catalog-template-usage";
    static final String CREATED = CloudEvent.typeOf("dataset", "dataset.created");
    static final String DELETED = CloudEvent.typeOf("dataset", "dataset.deleted");

    private final TemplateService templates;
    private final IdempotentConsumer idempotent;
    private final ObjectMapper json;

    public DatasetEventConsumer(TemplateService templates, IdempotentConsumer idempotent, ObjectMapper json) {
        this.templates = templates;
        this.idempotent = idempotent;
        this.json = json;
    }

    @Incoming("dataset-events")
    public Uni<Void> consume(String payload) {
        ReceivedEvent event;
        try {
            event = ReceivedEvent.parse(json, payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping a dataset event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        UUID tenantId = event.tenantId();
        JsonNode data = event.data();
        if (CREATED.equals(event.type()) && data.hasNonNull("dataset_id")) {
            long datasetId = data.get("dataset_id").asLong();
            return idempotent.processOnce(CONSUMER, event.id(), () -> usage(data, datasetId, tenantId)
                    .chain(() -> schema(data, datasetId, tenantId)))
                    .replaceWithVoid();
        }
        if (DELETED.equals(event.type()) && data.hasNonNull("dataset_id")) {
            long datasetId = data.get("dataset_id").asLong();
            return idempotent.processOnce(CONSUMER, event.id(), () -> templates.datasetDeleted(datasetId, tenantId))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    /** A dataset made from a template uses it; one with an inferred schema uses none. */
    private Uni<Void> usage(JsonNode data, long datasetId, UUID tenantId) {
        return data.hasNonNull("template_id")
                ? templates.datasetCreated(data.get("template_id").asLong(), datasetId, tenantId)
                : Uni.createFrom().voidItem();
    }

    /** Events written before they carried the schema have none to learn. */
    private Uni<Void> schema(JsonNode data, long datasetId, UUID tenantId) {
        return data.hasNonNull("dataset_schema")
                ? templates.datasetSchemaLearned(datasetId, tenantId, data.path("dataset_name").asText(),
                        data.get("dataset_schema"))
                : Uni.createFrom().voidItem();
    }
}
