-- The name and columns of each dataset, learned from dataset events, so a template can be made from a dataset
-- without calling dataset-service back. One row per dataset; only its own tenant's events change it.
create table dataset_schema (
    dataset_id     bigint       primary key,
    tenant_id      uuid         not null,
    dataset_name   varchar(200) not null,
    dataset_schema text         not null, -- JSON: [{"column_name", "data_type", "default_value"}]
    learned_at     timestamptz  not null default now()
);
