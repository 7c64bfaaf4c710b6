package io.dmlp.inference.repository;

import io.dmlp.inference.domain.Prediction;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The prediction log, always read within a tenant. */
@ApplicationScoped
@WithSession
public class PredictionRepository implements PanacheRepositoryBase<Prediction, Long> {

    /** The tenant's prediction, or null when it is missing or another tenant's. */
    public Uni<Prediction> find(UUID tenantId, long id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    /** A page of the tenant's predictions with a model, newest first. */
    public Uni<List<Prediction>> ofModel(UUID tenantId, long trainId, int skip, int limit) {
        return find("tenantId = ?1 and trainId = ?2", Sort.descending("id"), tenantId, trainId)
                .page(Page.of(0, limit)).range(skip, skip + limit - 1).list();
    }

    public Uni<Long> countOfModel(UUID tenantId, long trainId) {
        return count("tenantId = ?1 and trainId = ?2", tenantId, trainId);
    }

    /** The prediction a batch or forecast job makes. */
    public Uni<Prediction> ofJob(String rayJobId) {
        return find("rayJobId", rayJobId).firstResult();
    }
}
