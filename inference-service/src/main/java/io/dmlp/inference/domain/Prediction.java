package io.dmlp.inference.domain;

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

/** One entry of the prediction log: a real-time call, a batch job or a forecast. */
@Entity
@Table(name = "prediction")
public class Prediction {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "train_id")
    public long trainId;

    @Column(name = "predictor_name")
    public String predictorName;

    @Column(name = "problem_type")
    public String problemType;

    @Column(name = "domain_name")
    public String domainName;

    @Enumerated(EnumType.STRING)
    @Column(name = "prediction_type")
    public PredictionType type;

    @Column(name = "dataset_id")
    public Long datasetId;

    @Column(name = "input_data")
    public String inputData;

    public String output;

    @Column(name = "no_of_records")
    public Long records;

    public Double accuracy;

    @Column(name = "ray_job_id")
    public String rayJobId;

    @Column(name = "result_path")
    public String resultPath;

    @Column(name = "file_id")
    public Long fileId;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** A log entry about {@code model}, made by {@code createdBy} now. */
    public static Prediction of(DeployedModel model, PredictionType type, String inputData, String createdBy,
            OffsetDateTime now) {
        Prediction prediction = new Prediction();
        prediction.tenantId = model.tenantId();
        prediction.trainId = model.trainId();
        prediction.predictorName = model.predictorName();
        prediction.problemType = model.problemType();
        prediction.domainName = model.domainName();
        prediction.type = type;
        prediction.inputData = inputData;
        prediction.createdBy = createdBy;
        prediction.accuracy = model.accuracy();
        prediction.createdAt = now;
        return prediction;
    }
}
