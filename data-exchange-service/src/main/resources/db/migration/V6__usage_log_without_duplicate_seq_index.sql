-- The primary key (seq, logged_at) already serves lookups and ordered scans by seq; a second index on seq alone only
-- cost one more index insert per usage-log entry.
DROP INDEX usage_log_seq;
