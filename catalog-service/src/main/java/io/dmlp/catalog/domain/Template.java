package io.dmlp.catalog.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's data contract; its columns live in {@link TemplateVersion}s. */
@Entity
public class Template {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "template_name")
    public String templateName;

    @Column(name = "current_version")
    public int currentVersion;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "modified_by")
    public String modifiedBy;

    @Column(name = "modified_at")
    public OffsetDateTime modifiedAt;
}
