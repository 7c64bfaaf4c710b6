-- Statistics jobs move onto the lifecycle every Ray job shares (table ray_job of module jobs, db/jobs V1.1): same
-- ids (Ray's submission ids), credentials, results and errors; the dataset becomes the job's owner and the
-- statuses take the lifecycle's names. A job's statistics go when its dataset goes (DatasetService.delete).
insert into ray_job (id, tenant_id, kind, owner_id, status, callback_hash, result, error, created_by, submitted_at,
                     finished_at, ray_seen_at)
select id, tenant_id, 'statistics', dataset_id::text,
       case status when 'pending' then 'submitted_to_ray' when 'succeeded' then 'completed' else status end,
       callback_hash, statistics, error, created_by, created_at, finished_at, coalesce(finished_at, created_at)
from statistics_job;
drop table statistics_job;
