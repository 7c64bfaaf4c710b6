package io.dmlp.catalog.event;

import io.dmlp.catalog.domain.Template;
import io.dmlp.common.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Template events on {@value #TOPIC}, written through the outbox in the caller's transaction. */
@ApplicationScoped
public class CatalogEvents {

    public static final String TOPIC = "dmlp.catalog.events";

    private final Outbox outbox;

    public CatalogEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** {@code name}: created, updated or deleted. */
    public Uni<Void> template(String name, Template template) {
        return outbox.append(TOPIC, "catalog", "template." + name, template.id.toString(),
                template.tenantId.toString(), Map.of("template_id", template.id, "template_name",
                        template.templateName, "version", template.currentVersion)).replaceWithVoid();
    }
}
