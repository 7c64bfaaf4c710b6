package io.dmlp.common.config;

import java.util.Set;

/** Credentials of the local stack. Fine on a laptop; {@link ProductionGuard} refuses them in production. */
public final class DevDefaults {

    public static final String S3_ACCESS_KEY = "dmlp-local";
    public static final String S3_SECRET_KEY = "dmlp-local-secret";
    public static final String DB_PASSWORD = "dmlp";
    public static final String ADMIN_PASSWORD = "admin123";
    public static final String INTERNAL_TOKEN = "dmlp-local-internal";

    /** Every value that must not protect a production deployment. */
    public static final Set<String> SECRETS = Set.of(S3_SECRET_KEY, DB_PASSWORD, ADMIN_PASSWORD, INTERNAL_TOKEN);

    private DevDefaults() {
    }
}
