-- An attempt whose receiver's name did not resolve sends nothing: it is recorded (CONNECT_FAILED, back-off) without a
-- usage-log entry, since no record left the exchange and the citizens' view must not show an access that never
-- happened.
ALTER TABLE webhook_attempt ALTER COLUMN usage_log_seq DROP NOT NULL;
