package io.dmlp.jobs.repository;

import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

/** Ray jobs of every kind. */
@ApplicationScoped
@WithSession
public class RayJobRepository implements PanacheRepositoryBase<RayJob, String> {

    /** The owner's most recent job of that kind, or null. */
    public Uni<RayJob> latest(JobKind kind, String ownerId) {
        return find("kind = ?1 and ownerId = ?2", Sort.descending("submittedAt"), kind, ownerId).firstResult();
    }

    /** The job a callback credential was issued to, or null. */
    public Uni<RayJob> withCallbackHash(String hash) {
        return find("callbackHash", hash).firstResult();
    }

    public Uni<List<RayJob>> unfinished() {
        return list("status in ?1", List.of(JobStatus.SUBMITTED_TO_RAY, JobStatus.RUNNING));
    }

    /** The jobs with these ids (those that exist). */
    public Uni<List<RayJob>> withIds(Collection<String> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }

    /** The owner's jobs of that kind, newest first. */
    public Uni<List<RayJob>> owned(JobKind kind, String ownerId) {
        return list("kind = ?1 and ownerId = ?2", Sort.descending("submittedAt"), kind, ownerId);
    }

    /** Forgets the owner's jobs of that kind, when the owner is deleted. */
    public Uni<Long> deleteOwned(JobKind kind, String ownerId) {
        return delete("kind = ?1 and ownerId = ?2", kind, ownerId);
    }
}
