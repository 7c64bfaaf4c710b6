package io.dmlp.training.repository;

import io.dmlp.training.domain.Preprocess;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class PreprocessRepository implements PanacheRepositoryBase<Preprocess, Long> {

    /** The tenant's record, or null when it is missing or another tenant's. */
    public Uni<Preprocess> find(UUID tenantId, long id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    public Uni<List<Preprocess>> withIds(Collection<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
