-- Evidence bundles use the latest signed checkpoint covering their entry (the highest last_seq at or above it)
-- instead of signing one while they are read.
CREATE INDEX usage_log_checkpoint_seq ON usage_log_checkpoint (last_seq, id);
