-- A covert query's hiddenUntil is no longer hashed in clear: from entry format 2 on, the chained canonical form holds
-- hidden_until_commitment = hex(HMAC-SHA256(key = hidden_until_salt, message = hidden_until as yyyy-MM-dd)), with 32
-- random bytes of salt per covert entry, so whoever sees the entry hash cannot try candidate dates against it.
-- Entries written before keep format 1 (the date in clear) and verify as they did; an insert that names no format
-- is format 1. The append-only trigger guards UPDATE and DELETE only, so inserts fill the new columns. Constant
-- defaults and null columns are catalogue changes: no partition is rewritten.
ALTER TABLE usage_log ADD COLUMN entry_format SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE usage_log ADD COLUMN hidden_until_salt BYTEA;
ALTER TABLE usage_log ADD COLUMN hidden_until_commitment CHAR(64);
