-- Two-step TOTP enrolment: a new secret (first one or replacement) waits here, sealed like totp_secret, until the
-- holder confirms it with a current code from it; only then does it become totp_secret, the factor login asks for.
-- A new enrolment replaces an unconfirmed one; an administrator's reset clears both.
ALTER TABLE account ADD COLUMN totp_pending VARCHAR(200);
COMMENT ON COLUMN account.totp_pending IS 'enc:v1:<kek id>:<nonce>:<ciphertext>: a secret issued, not yet confirmed';
