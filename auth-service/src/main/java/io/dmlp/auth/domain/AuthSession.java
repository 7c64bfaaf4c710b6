package io.dmlp.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One login. Its access tokens carry the id as {@code sid}; ending it refuses them at once. */
@Entity
@Table(name = "auth_session")
public class AuthSession {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public Long userId;

    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Column(name = "ended_reason")
    public String endedReason;

    public boolean isActive(OffsetDateTime now) {
        return endedAt == null && expiresAt.isAfter(now);
    }
}
