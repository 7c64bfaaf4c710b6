package io.dmlp.dataset.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One run of the statistics job on Ray for a dataset. */
@Entity
@Table(name = "statistics_job")
public class StatisticsJob {

    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** Also the job's submission id on Ray. */
    @Id
    public String id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "dataset_id")
    public Long datasetId;

    public String status;

    /** SHA-256 of the job's callback credential. */
    @Column(name = "callback_hash")
    public String callbackHash;

    /** JSON as the job computed it; null until it succeeded. */
    public String statistics;

    public String error;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    public boolean finished() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }
}
