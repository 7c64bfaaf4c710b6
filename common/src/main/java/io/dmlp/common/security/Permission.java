package io.dmlp.common.security;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The permission catalogue: fixed by the platform, seeded into every tenant, and the only permissions the
 * services enforce. Tokens carry the names in their {@code groups} claim, so an endpoint states its need with
 * {@code @RolesAllowed(Permission.Names.TRAIN_MODELS)}.
 * <p>
 * Tenants may add permissions of their own (POST /rbac/permissions/) only as {@value #CUSTOM_PREFIX}{@code <name>}
 * ({@link #isValidCustomName(String)}), a namespace no catalogue name can ever take: a tenant can neither create a
 * catalogue name nor one that a later catalogue entry would collide with. Platform administration is not a
 * permission at all: it is the user record's flag, carried as the token's {@value Caller#PLATFORM_ADMIN_CLAIM}
 * claim.
 */
public enum Permission {
    MANAGE_USERS(Names.MANAGE_USERS),
    MANAGE_ROLES(Names.MANAGE_ROLES),
    MANAGE_TEMPLATES(Names.MANAGE_TEMPLATES),
    UPLOAD_DATASETS(Names.UPLOAD_DATASETS),
    DELETE_DATASETS(Names.DELETE_DATASETS),
    TRAIN_MODELS(Names.TRAIN_MODELS),
    DELETE_MODELS(Names.DELETE_MODELS),
    RUN_INFERENCE(Names.RUN_INFERENCE),
    VIEW_DATALAKE(Names.VIEW_DATALAKE),
    MANAGE_JOBS(Names.MANAGE_JOBS),
    VIEW(Names.VIEW);

    /** Compile-time constants for annotations. */
    public static final class Names {
        public static final String MANAGE_USERS = "can_manage_users";
        public static final String MANAGE_ROLES = "can_manage_roles";
        public static final String MANAGE_TEMPLATES = "can_manage_templates";
        public static final String UPLOAD_DATASETS = "can_upload_datasets";
        public static final String DELETE_DATASETS = "can_delete_datasets";
        public static final String TRAIN_MODELS = "can_train_models";
        public static final String DELETE_MODELS = "can_delete_models";
        public static final String RUN_INFERENCE = "can_run_inference";
        public static final String VIEW_DATALAKE = "can_view_datalake";
        public static final String MANAGE_JOBS = "can_manage_jobs";
        /** Read access to the tenant's templates, datasets, models and predictions. */
        public static final String VIEW = "can_view";
        /**
         * Not a permission: the role {@code PlatformAdminRoles} gives a caller whose token carries
         * {@code "platform_admin": true}, for {@code @RolesAllowed}. Never taken from {@code groups}.
         */
        public static final String PLATFORM_ADMIN = Caller.PLATFORM_ADMIN_CLAIM;

        private Names() {
        }
    }

    /** The namespace of tenant-defined permissions. */
    public static final String CUSTOM_PREFIX = "custom:";

    private static final Pattern CUSTOM_NAME = Pattern.compile(Pattern.quote(CUSTOM_PREFIX) + "[A-Za-z0-9_.-]{1,64}");

    private final String permissionName;

    Permission(String permissionName) {
        this.permissionName = permissionName;
    }

    /** The name as stored and as carried in tokens, e.g. {@code can_train_models}. */
    public String permissionName() {
        return permissionName;
    }

    public static List<String> allNames() {
        return Arrays.stream(values()).map(Permission::permissionName).toList();
    }

    /** Whether {@code name} is a catalogue name. */
    public static boolean isCatalogue(String name) {
        return Arrays.stream(values()).anyMatch(p -> p.permissionName.equals(name));
    }

    /** {@value #CUSTOM_PREFIX} followed by 1 to 64 letters, digits or {@code _ . -}. */
    public static boolean isValidCustomName(String name) {
        return name != null && CUSTOM_NAME.matcher(name).matches();
    }
}
