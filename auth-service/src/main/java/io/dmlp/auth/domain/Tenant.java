package io.dmlp.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An isolated customer of the platform: every other resource belongs to exactly one. */
@Entity
public class Tenant {

    @Id
    public UUID id;

    public String name;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
