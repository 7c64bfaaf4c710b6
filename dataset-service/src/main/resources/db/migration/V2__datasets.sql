-- Datasets and their files. A dataset is validated against one template version; each file records what
-- validation found (counts and the error report).
create table dataset (
    id                 bigserial    primary key,
    tenant_id          uuid         not null,
    dataset_name       varchar(200) not null,
    usage              char(1)      not null check (usage in ('t', 'p')),
    template_id        bigint,
    template_version   integer,
    template_name      varchar(200),
    template_schema    text         not null, -- JSON columns the files are validated against
    data_source        varchar(20)  not null default 'csv',
    iceberg_table_name varchar(200) not null,
    created_by         varchar(150) not null,
    created_at         timestamptz  not null,
    modified_at        timestamptz  not null
);
create unique index dataset_name_per_tenant on dataset (tenant_id, lower(dataset_name));
create unique index dataset_table_per_tenant on dataset (tenant_id, lower(iceberg_table_name));

create table dataset_file (
    id            bigserial    primary key,
    dataset_id    bigint       not null references dataset (id) on delete cascade,
    tenant_id     uuid         not null,
    file_name     varchar(255) not null,
    csv_file_path varchar(1024) not null, -- the raw object's key in the bucket
    size_bytes    bigint       not null,
    total_fields  integer      not null,
    total_records bigint       not null,
    valid_records bigint       not null,
    is_valid      boolean      not null,
    error_report  text, -- JSON, null when the file had no error
    created_at    timestamptz  not null,
    modified_at   timestamptz  not null
);
create index dataset_file_dataset on dataset_file (dataset_id, id);
