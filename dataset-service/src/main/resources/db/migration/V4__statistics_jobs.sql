-- Statistics jobs run on Ray. A job posts its result back with a credential bound to it (stored hashed);
-- every job ends succeeded or failed, also when Ray is down at submit time or loses the job.
create table statistics_job (
    id            varchar(64)  primary key, -- also Ray's submission_id
    tenant_id     uuid         not null,
    dataset_id    bigint       not null references dataset (id) on delete cascade,
    status        varchar(16)  not null check (status in ('pending', 'running', 'succeeded', 'failed')),
    callback_hash char(64)     not null,
    statistics    text, -- JSON posted by the job
    error         text,
    created_by    varchar(150) not null,
    created_at    timestamptz  not null,
    finished_at   timestamptz
);
create index statistics_job_dataset on statistics_job (dataset_id, created_at desc);
create index statistics_job_unfinished on statistics_job (status) where status in ('pending', 'running');
