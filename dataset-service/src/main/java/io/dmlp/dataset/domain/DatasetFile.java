package io.dmlp.dataset.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One uploaded file: where its raw bytes are and what validation found. */
@Entity
@Table(name = "dataset_file")
public class DatasetFile {

    /** Assigned from the table's sequence before the upload is read: every silver row carries it. */
    @Id
    public Long id;

    @Column(name = "dataset_id")
    public Long datasetId;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "file_name")
    public String fileName;

    /** The raw object's key in the bucket. */
    @Column(name = "csv_file_path")
    public String csvFilePath;

    @Column(name = "size_bytes")
    public long sizeBytes;

    @Column(name = "total_fields")
    public int totalFields;

    @Column(name = "total_records")
    public long totalRecords;

    @Column(name = "valid_records")
    public long validRecords;

    @Column(name = "is_valid")
    public boolean valid;

    /** JSON; null when validation found nothing to report. */
    @Column(name = "error_report")
    public String errorReport;

    /** JSON array of the file's Parquet data file URIs in the silver table; null while it has none. */
    @Column(name = "data_files")
    public String dataFiles;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "modified_at")
    public OffsetDateTime modifiedAt;
}
