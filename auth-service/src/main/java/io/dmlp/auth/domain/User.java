package io.dmlp.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "app_user")
public class User {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    public String username;
    public String email;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "last_name")
    public String lastName;

    /** bcrypt (modular crypt format); never leaves the service. */
    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "is_active")
    public boolean active = true;

    /** The operator of the whole platform: manages tenants and sees every tenant's resources. */
    @Column(name = "is_platform_admin")
    public boolean platformAdmin;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "modified_at")
    public OffsetDateTime modifiedAt;
}
