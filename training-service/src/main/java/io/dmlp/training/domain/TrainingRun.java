package io.dmlp.training.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One training run of a predictor, which once completed is a model: what was asked, the dataset snapshot it learned
 * from, its preprocess record, and its Ray job (whose state and result are the run's).
 */
@Entity
@Table(name = "training_run")
public class TrainingRun {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "predictor_name")
    public String predictorName;

    public String domain;

    @Enumerated(EnumType.STRING)
    @Column(name = "problem_type")
    public ProblemType problemType;

    /** As requested, in its canonical spelling, or {@code auto}; the one fitted is in the job's result. */
    public String algorithm;

    @Column(name = "shap_enabled")
    public boolean shapEnabled;

    @Column(name = "is_incremental")
    public boolean incremental;

    @Column(name = "parent_train_id")
    public Long parentTrainId;

    @Column(name = "dataset_id")
    public long datasetId;

    @Column(name = "dataset_name")
    public String datasetName;

    @Column(name = "data_source")
    public String dataSource;

    @Column(name = "iceberg_table")
    public String icebergTable;

    @Column(name = "snapshot_id")
    public long snapshotId;

    @Column(name = "preprocess_id")
    public long preprocessId;

    @Column(name = "ray_job_id")
    public String rayJobId;

    /** {@code s3://bucket/models/<tenant>/<id>/}. */
    public String artifacts;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "modified_at")
    public OffsetDateTime modifiedAt;
}
