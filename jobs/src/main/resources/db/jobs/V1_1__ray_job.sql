-- Every Ray job a service runs, whatever its kind (io.dmlp.jobs). Versioned 1.1, beside common's 1.0: services add
-- the location db/jobs and run Flyway out of order, so a database already past 1.1 still gets it.
create table ray_job (
    id            varchar(64)  primary key, -- also Ray's submission_id
    tenant_id     uuid         not null,
    kind          varchar(32)  not null check (kind in ('training', 'shap', 'statistics', 'batch_prediction',
                                                        'forecast')),
    owner_id      varchar(64)  not null, -- the owning record: a dataset id for statistics, a training id, …
    status        varchar(20)  not null check (status in ('submitted_to_ray', 'running', 'completed', 'failed',
                                                          'cancelled')),
    callback_hash char(64)     not null,
    result        text, -- JSON as the job posted it
    error         text,
    created_by    varchar(150) not null,
    submitted_at  timestamptz  not null,
    started_at    timestamptz,
    finished_at   timestamptz,
    ray_seen_at   timestamptz  not null
);
create index ray_job_owner on ray_job (kind, owner_id, submitted_at desc);
create index ray_job_unfinished on ray_job (status) where status in ('submitted_to_ray', 'running');
-- A job's callback is authenticated before its body is read, by finding the job through its credential's hash.
create index ray_job_callback on ray_job (callback_hash);
