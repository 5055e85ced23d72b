-- A grant that reached its end date while SUSPENDED ended like a terminated one: a new filing for the entry waits for
-- the provider's review instead of being granted at once. Grants that expired before this column existed are false.
ALTER TABLE share_grant ADD COLUMN expired_while_suspended BOOLEAN NOT NULL DEFAULT false;
