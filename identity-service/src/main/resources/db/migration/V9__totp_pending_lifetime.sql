-- A TOTP secret waiting for confirmation lives for a limited time (identity.totp.pending-lifetime, from when it was
-- issued) and is discarded after too many wrong codes (identity.totp.pending-max-failures); either way the holder
-- starts the enrolment again. Both columns go with totp_pending: a new secret resets them, a reset clears them.
ALTER TABLE account ADD COLUMN totp_pending_issued_at TIMESTAMPTZ;
COMMENT ON COLUMN account.totp_pending_issued_at IS 'when totp_pending was issued; it expires a lifetime after';
ALTER TABLE account ADD COLUMN totp_pending_failures INT NOT NULL DEFAULT 0;
COMMENT ON COLUMN account.totp_pending_failures IS 'wrong codes given to confirm totp_pending';

-- Secrets issued before this release get their full lifetime from the upgrade on.
UPDATE account SET totp_pending_issued_at = now() WHERE totp_pending IS NOT NULL;
