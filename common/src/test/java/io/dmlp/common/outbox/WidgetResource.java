package io.dmlp.common.outbox;

import io.dmlp.common.error.ConflictException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.Map;

/** Writes a widget and announces it; with {@code fail=true} the transaction rolls back after the append. */
@PermitAll
@Path("/probe/widgets")
public class WidgetResource {

    static final String TOPIC = "dmlp.test.events";

    private final Outbox outbox;

    public WidgetResource(Outbox outbox) {
        this.outbox = outbox;
    }

    @POST
    @WithTransaction
    public Uni<Map<String, Object>> create(@QueryParam("name") String name, @QueryParam("fail") boolean fail) {
        Widget widget = new Widget();
        widget.tenantId = "tenant-a";
        widget.name = name;
        return widget.<Widget>persistAndFlush()
                .chain(saved -> outbox.append(TOPIC, "widget", "created", saved.id.toString(), saved.tenantId,
                        Map.of("name", name)))
                .map(event -> {
                    if (fail) {
                        throw new ConflictException("Rolled back on purpose after event " + event.id());
                    }
                    return Map.<String, Object>of("id", widget.id, "event_id", event.id());
                });
    }
}
