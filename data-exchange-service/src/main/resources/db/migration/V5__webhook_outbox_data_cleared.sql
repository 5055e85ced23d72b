-- An event's record copy is needed only until it is sent: delivered, skipped and dropped events keep their
-- metadata (and attempts) but not the provider's data.
ALTER TABLE webhook_outbox ALTER COLUMN data DROP NOT NULL;
