package io.dmlp.common.security;

import java.util.Arrays;
import java.util.List;

/**
 * The permissions the services enforce. Tokens carry the names in their {@code groups} claim, so an
 * endpoint states its need with {@code @RolesAllowed(Permission.Names.TRAIN_MODELS)}.
 * Tenants may create further permission names (POST /rbac/permissions/); only these are enforced.
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
        /** Not a tenant permission: the operator of the whole platform (tenants, every tenant's data). */
        public static final String PLATFORM_ADMIN = "platform_admin";

        private Names() {
        }
    }

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
}
