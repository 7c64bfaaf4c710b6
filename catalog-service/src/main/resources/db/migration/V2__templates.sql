-- Templates: the data contracts datasets are validated against. Every update adds a version; the template row
-- points at the current one, and a dataset keeps the version it was created with.
create table template (
    id              bigserial    primary key,
    tenant_id       uuid         not null,
    template_name   varchar(200) not null,
    current_version integer      not null,
    created_by      varchar(150) not null,
    created_at      timestamptz  not null,
    modified_by     varchar(150) not null,
    modified_at     timestamptz  not null
);
create unique index template_name_per_tenant on template (tenant_id, lower(template_name));

create table template_version (
    template_id     bigint       not null references template (id) on delete cascade,
    version         integer      not null,
    template_name   varchar(200) not null,
    template_schema text         not null, -- JSON: [{"column_name", "data_type", "default_value"}]
    created_by      varchar(150) not null,
    created_at      timestamptz  not null,
    primary key (template_id, version)
);

-- Which datasets use which template, learned from dataset events (not by calling dataset-service).
create table template_usage (
    template_id bigint      not null,
    dataset_id  bigint      not null,
    tenant_id   uuid        not null,
    since       timestamptz not null default now(),
    primary key (template_id, dataset_id)
);
