package io.dmlp.auth.domain;

import jakarta.persistence.Entity;

/** A named set of permissions within one tenant; users hold roles. */
@Entity
public class Role extends TenantScopedName {
}
