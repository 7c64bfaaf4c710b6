-- A job's callback is authenticated before its body is read, by finding the job through its credential's hash.
create index statistics_job_callback on statistics_job (callback_hash);
