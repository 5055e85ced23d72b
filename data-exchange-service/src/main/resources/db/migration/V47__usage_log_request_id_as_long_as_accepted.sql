-- X-Request-Id is accepted up to 128 characters (RequestIds) and becomes the usage-log entry's request_id, which held
-- 100: an entry with a longer id failed the group commit of the whole batch it was written in (503 for every request
-- in it). The column now holds what is accepted. Widening a VARCHAR rewrites no row (no UPDATE, so the append-only
-- trigger is not involved) and reaches every partition of the partitioned table; the index on request_id is kept.
ALTER TABLE usage_log ALTER COLUMN request_id TYPE VARCHAR(128);
