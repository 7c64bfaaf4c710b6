-- Platform administration is app_user.is_platform_admin alone (the token's platform_admin claim); the permission
-- catalogue is fixed (io.dmlp.common.security.Permission) and tenants name their own permissions custom:<name>.

-- A permission named platform_admin was the escalation path: remove it and every grant of it.
delete from permission where name = 'platform_admin';

-- Earlier tenant-defined names move into the custom: namespace, so no later catalogue entry can collide with them
-- (a name that does not fit, or whose custom: form exists already, keeps its name: it is enforced by nothing).
update permission p set name = 'custom:' || p.name
where p.name not like 'custom:%'
  and p.name not in ('can_manage_users', 'can_manage_roles', 'can_manage_templates', 'can_upload_datasets',
                     'can_delete_datasets', 'can_train_models', 'can_delete_models', 'can_run_inference',
                     'can_view_datalake', 'can_manage_jobs', 'can_view')
  and length(p.name) <= 93
  and not exists (select 1 from permission q where q.tenant_id = p.tenant_id and q.name = 'custom:' || p.name);

