package io.dmlp.dataset.repository;

import io.dmlp.dataset.domain.StatisticsJob;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/** Statistics jobs. */
@ApplicationScoped
@WithSession
public class StatisticsJobRepository implements PanacheRepositoryBase<StatisticsJob, String> {

    public Uni<StatisticsJob> latest(long datasetId) {
        return find("datasetId", Sort.descending("createdAt"), datasetId).firstResult();
    }

    /** The job a callback credential was issued to, or null. */
    public Uni<StatisticsJob> withCallbackHash(String hash) {
        return find("callbackHash", hash).firstResult();
    }

    /** Jobs not finished that were started before {@code before}. */
    public Uni<List<StatisticsJob>> unfinished(OffsetDateTime before) {
        return list("status in ?1 and createdAt < ?2", List.of(StatisticsJob.PENDING, StatisticsJob.RUNNING), before);
    }
}
