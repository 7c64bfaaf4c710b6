package io.dmlp.auth.domain;

import jakarta.persistence.Entity;

/** A permission name within one tenant; the services enforce the catalogue of {@code io.dmlp.common.security.Permission}. */
@Entity
public class Permission extends TenantScopedName {
}
