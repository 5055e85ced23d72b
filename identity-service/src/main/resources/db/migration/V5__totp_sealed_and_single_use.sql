-- TOTP second factor. The secret is stored sealed with AES-256-GCM under the key-encryption key, as the private
-- signing keys are, bound to its account row; a sealed value is longer than the 64 characters of a base32 secret.
-- Secrets still in clear are sealed by the service at start (it holds the key, this migration does not).
ALTER TABLE account ALTER COLUMN totp_secret TYPE VARCHAR(200);
COMMENT ON COLUMN account.totp_secret IS 'enc:v1:<kek id>:<nonce>:<ciphertext> (AES-256-GCM of the base32 secret)';

-- The 30-second time step of the last code accepted: a code of that step or an earlier one is not accepted again.
ALTER TABLE account ADD COLUMN totp_last_step BIGINT;
