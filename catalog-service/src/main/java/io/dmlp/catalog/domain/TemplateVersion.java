package io.dmlp.catalog.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** One immutable state of a template: its name and columns at that version. */
@Entity
@Table(name = "template_version")
@IdClass(TemplateVersion.Key.class)
public class TemplateVersion {

    /** The composite key (template, version). */
    public static class Key implements Serializable {
        public Long templateId;
        public Integer version;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(templateId, key.templateId)
                    && Objects.equals(version, key.version);
        }

        @Override
        public int hashCode() {
            return Objects.hash(templateId, version);
        }
    }

    @Id
    @Column(name = "template_id")
    public Long templateId;

    @Id
    public Integer version;

    @Column(name = "template_name")
    public String templateName;

    /** The columns as JSON: {@code [{"column_name", "data_type", "default_value"}]}. */
    @Column(name = "template_schema")
    public String templateSchema;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
