-- An attempt whose receiver's name did not resolve sends nothing: it is recorded (CONNECT_FAILED, back-off) without a
-- usage-log entry, since no record left the exchange and the citizens' view must not show an access that never
-- happened.
ALTER TABLE webhook_attempt ALTER COLUMN usage_log_seq DROP NOT NULL;

-- A delivery logged before connecting whose request then never left (refused, unreachable, TLS handshake failed) is
-- followed by an entry with outcome NOT_SENT under the same request id (the delivery id); the citizens' view looks
-- them up by request id.
CREATE INDEX usage_log_not_sent ON usage_log (request_id) WHERE outcome = 'NOT_SENT';
