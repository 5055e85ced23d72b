-- Request ids are kept as X-Request-Id gives them when well-formed: up to 128 characters (common's RequestIds).
-- The columns that record them were 100 wide, so a longer id failed the insert (a recovery request, or the
-- back-channel logout queued when a session ends).
ALTER TABLE audit_event ALTER COLUMN request_id TYPE VARCHAR(128);
ALTER TABLE recovery_request ALTER COLUMN request_id TYPE VARCHAR(128);
ALTER TABLE backchannel_logout ALTER COLUMN request_id TYPE VARCHAR(128);
