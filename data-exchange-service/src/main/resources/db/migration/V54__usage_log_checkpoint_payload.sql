-- A checkpoint signs its time, entry count and key with the head (payload format 2); the exact signed text is kept so
-- an outside auditor checks the seal over it, and a created_at changed after signing no longer matches it. Rows
-- written before keep payload NULL: they signed only lastSeq and lastHash.
ALTER TABLE usage_log_checkpoint ADD COLUMN payload TEXT;
