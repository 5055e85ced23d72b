-- An RFC 3161 time-stamp token (DER) over a checkpoint's seal, from the configured TSA; NULL when none is configured
-- or the TSA did not answer: the checkpoint is signed all the same.
ALTER TABLE usage_log_checkpoint ADD COLUMN timestamp_token BYTEA;
