package io.dmlp.dataset.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A named set of uploaded files of one tenant, validated against one template version. */
@Entity
public class Dataset {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "dataset_name")
    public String datasetName;

    /** {@code t} training or {@code p} prediction. */
    public String usage;

    @Column(name = "template_id")
    public Long templateId;

    @Column(name = "template_version")
    public Integer templateVersion;

    @Column(name = "template_name")
    public String templateName;

    /** The template columns (JSON) this dataset's files are validated against, frozen at creation. */
    @Column(name = "template_schema")
    public String templateSchema;

    @Column(name = "data_source")
    public String dataSource = "csv";

    @Column(name = "iceberg_table_name")
    public String icebergTableName;

    /** The silver table's location in the warehouse. */
    @Column(name = "iceberg_location")
    public String icebergLocation;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "modified_at")
    public OffsetDateTime modifiedAt;
}
