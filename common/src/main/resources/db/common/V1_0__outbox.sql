-- Shared by every service with a database (Flyway location classpath:db/common).
-- The transactional outbox: events written with the state change, relayed to Kafka afterwards.
create table outbox_event (
    id           uuid primary key,
    topic        varchar(255)  not null,
    message_key  varchar(512)  not null,
    event_type   varchar(255)  not null,
    tenant_id    varchar(64),
    payload      text          not null,  -- the whole CloudEvent, structured JSON
    created_at   timestamptz   not null default now(),
    published_at timestamptz,
    attempts     integer       not null default 0,
    last_error   varchar(1000)
);
create index outbox_event_unpublished on outbox_event (created_at, id) where published_at is null;

-- Events this service has already handled, for idempotent consumers.
create table processed_event (
    consumer     varchar(255) not null,
    event_id     varchar(255) not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
