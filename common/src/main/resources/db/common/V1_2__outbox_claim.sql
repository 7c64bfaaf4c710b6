-- The relay claims a batch, commits, publishes it outside any transaction, then marks it (OutboxRelay).
-- claimed_until: a relay's lease on a row it is publishing; once past, a row a stopped relay had claimed is free again.
alter table outbox_event add column claimed_until timestamptz;
-- seq: the order rows were appended in. created_at is the transaction's start (equal for the events of one
-- transaction) and ids are random, so neither keeps two events of one key in one transaction in order.
alter table outbox_event add column seq bigint generated always as identity;
drop index outbox_event_unpublished;
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;
-- The claim looks for an earlier unpublished row of the same key (events of one key go out in order).
create index outbox_event_unpublished_by_key on outbox_event (message_key, seq) where published_at is null;
