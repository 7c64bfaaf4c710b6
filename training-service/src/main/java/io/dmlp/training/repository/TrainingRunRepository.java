package io.dmlp.training.repository;

import io.dmlp.training.domain.TrainingRun;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Training runs, always looked up within a tenant. */
@ApplicationScoped
@WithSession
public class TrainingRunRepository implements PanacheRepositoryBase<TrainingRun, Long> {

    /** The tenant's run, or null when it is missing or another tenant's. */
    public Uni<TrainingRun> find(UUID tenantId, long id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    /** A page of the tenant's runs, newest first. */
    public Uni<List<TrainingRun>> page(UUID tenantId, int skip, int limit) {
        return find("tenantId", Sort.descending("id"), tenantId).page(Page.of(0, limit)).range(skip, skip + limit - 1)
                .list();
    }

    public Uni<Long> count(UUID tenantId) {
        return count("tenantId", tenantId);
    }

    /** The predictor's runs, newest first (none when the tenant has no predictor of that name). */
    public Uni<List<TrainingRun>> ofPredictor(UUID tenantId, String predictorName) {
        return list("tenantId = ?1 and predictorName = ?2", Sort.descending("id"), tenantId, predictorName);
    }

    /** The ids of the tenant's runs whose job is still unfinished. */
    public Uni<List<String>> unfinishedJobs(UUID tenantId) {
        return getSession().chain(session -> session.createNativeQuery(
                "select r.ray_job_id from training_run r join ray_job j on j.id = r.ray_job_id"
                        + " where r.tenant_id = ?1 and j.status in ('submitted_to_ray', 'running')", String.class)
                .setParameter(1, tenantId).getResultList());
    }

    /** Every tenant's runs with an id above {@code after}, in id order: the internal model list's pages. */
    public Uni<List<TrainingRun>> after(long after, int limit) {
        return find("id > ?1", Sort.ascending("id"), after).page(Page.ofSize(limit)).list();
    }

    /** How many runs use the preprocess record. */
    public Uni<Long> usingPreprocess(long preprocessId) {
        return count("preprocessId", preprocessId);
    }
}
