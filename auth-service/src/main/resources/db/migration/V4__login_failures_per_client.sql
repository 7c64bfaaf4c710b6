-- Failed log-ins are counted per username and client address (X-Forwarded-For, set by the gateway), so an
-- anonymous caller locks a username out only for itself, never for its owner elsewhere.
alter table login_failure add column client varchar(64) not null default '';
drop index login_failure_window;
create index login_failure_window on login_failure (username_key, client, failed_at);
