package io.dmlp.jobs.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One job run on Ray, whatever its kind. The owning record (a dataset for statistics, a training for training) is
 * named by {@link #kind} and {@link #ownerId}; Ray's metadata of the job says the same, with the tenant.
 */
@Entity
@Table(name = "ray_job")
public class RayJob {

    /** Also the job's submission id on Ray. */
    @Id
    public String id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    public JobKind kind;

    @Column(name = "owner_id")
    public String ownerId;

    public JobStatus status;

    /** SHA-256 of the job's callback credential. */
    @Column(name = "callback_hash")
    public String callbackHash;

    /** JSON the job posted back, as its owner keeps it; null unless completed. */
    public String result;

    /** Why the job failed or was cancelled. */
    public String error;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** When Ray last answered about the job; a job whose Ray stays silent too long is failed. */
    @Column(name = "ray_seen_at")
    public OffsetDateTime raySeenAt;

    /**
     * Moves the job on and stamps the time; false (and nothing changes) when the state machine does not allow it,
     * e.g. because the job already ended.
     */
    public boolean moveTo(JobStatus next, String reason, OffsetDateTime now) {
        if (!status.canMoveTo(next)) {
            return false;
        }
        status = next;
        if (next == JobStatus.RUNNING) {
            startedAt = now;
        } else {
            finishedAt = now;
            error = next == JobStatus.COMPLETED ? null : reason;
        }
        return true;
    }
}
