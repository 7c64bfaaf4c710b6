package io.dmlp.training.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The preprocessing a run fits: the column roles as requested, the inputs it reads ({@code features}) and the
 * target. Two records with the same features and target are interchangeable for a model ({@code /train/update/}).
 */
@Entity
public class Preprocess {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "predictor_name")
    public String predictorName;

    /** JSON {@code [{column_name, data_type, attribute_name}]}. */
    public String columns;

    /** JSON {@code [{column_name, data_type}]}: the model's inputs, in the dataset's order. */
    public String features;

    /** JSON {@code {column_name, data_type}}. */
    public String target;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
