create table widget (
    id         bigserial primary key,
    tenant_id  varchar(64)  not null,
    name       varchar(255) not null
);
