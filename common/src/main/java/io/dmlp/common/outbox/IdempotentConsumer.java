package io.dmlp.common.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Makes an event handler safe against redelivery: the event id is recorded in {@code processed_event}
 * in the same transaction as the handler's own writes, and a second delivery of the same id is skipped.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.outbox.enabled", stringValue = "true")
public class IdempotentConsumer {

    static final String MARK = "insert into processed_event (consumer, event_id) values (?1, ?2)"
            + " on conflict do nothing";

    /**
     * Runs {@code handler} in a new transaction unless {@code consumer} has already processed {@code eventId}.
     *
     * @return true when the handler ran, false for a duplicate
     */
    public Uni<Boolean> processOnce(String consumer, String eventId, Supplier<Uni<?>> handler) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(MARK)
                        .setParameter(1, consumer)
                        .setParameter(2, eventId)
                        .executeUpdate())
                .chain(inserted -> inserted == 1
                        ? handler.get().replaceWith(Boolean.TRUE)
                        : Uni.createFrom().item(Boolean.FALSE)));
    }
}
