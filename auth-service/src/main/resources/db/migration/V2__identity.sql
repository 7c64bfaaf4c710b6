-- Tenants, users, roles, permissions and sessions.

create table tenant (
    id         uuid         primary key,
    name       varchar(100) not null,
    created_at timestamptz  not null default now()
);
create unique index tenant_name on tenant (lower(name));

create table app_user (
    id                bigserial    primary key,
    tenant_id         uuid         not null references tenant (id),
    username          varchar(150) not null,
    email             varchar(254) not null,
    first_name        varchar(100),
    last_name         varchar(100),
    password_hash     varchar(100) not null,
    is_active         boolean      not null default true,
    is_platform_admin boolean      not null default false,
    created_at        timestamptz  not null default now(),
    modified_at       timestamptz  not null default now()
);
-- Log-in names are global: the login form carries no tenant.
create unique index app_user_username on app_user (lower(username));
create unique index app_user_email on app_user (lower(email));
create index app_user_tenant on app_user (tenant_id, id);

create table permission (
    id        bigserial    primary key,
    tenant_id uuid         not null references tenant (id),
    name      varchar(100) not null,
    unique (tenant_id, name)
);

create table role (
    id        bigserial    primary key,
    tenant_id uuid         not null references tenant (id),
    name      varchar(100) not null,
    unique (tenant_id, name)
);

create table role_permission (
    role_id       bigint not null references role (id) on delete cascade,
    permission_id bigint not null references permission (id) on delete cascade,
    primary key (role_id, permission_id)
);

create table user_role (
    user_id bigint not null references app_user (id) on delete cascade,
    role_id bigint not null references role (id) on delete cascade,
    primary key (user_id, role_id)
);

-- One login = one session; its access tokens carry the id as "sid" and die with it.
create table auth_session (
    id           uuid        primary key,
    user_id      bigint      not null references app_user (id) on delete cascade,
    tenant_id    uuid        not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    ended_at     timestamptz,
    ended_reason varchar(50)
);
create index auth_session_user on auth_session (user_id) where ended_at is null;

-- Refresh tokens are stored as SHA-256 hashes only. A rotated one presented again ends its session.
create table refresh_token (
    token_hash varchar(64) primary key,
    session_id uuid        not null references auth_session (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    rotated_at timestamptz
);

-- Failed log-ins per username, for the lockout window.
create table login_failure (
    id           bigserial    primary key,
    username_key varchar(150) not null,
    failed_at    timestamptz  not null default now()
);
create index login_failure_window on login_failure (username_key, failed_at);
