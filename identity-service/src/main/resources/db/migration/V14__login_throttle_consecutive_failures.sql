-- Failed logins of a login name since its last successful one (not reset by the counting window), and when the
-- name's password login was blocked for reaching IDENTITY_LOGIN_ACCOUNT_BLOCK_AFTER of them: it stays blocked until
-- a password reset (recovery) or an administrator lifts it.
ALTER TABLE login_throttle ADD COLUMN consecutive_failures INT NOT NULL DEFAULT 0;
ALTER TABLE login_throttle ADD COLUMN blocked_at TIMESTAMPTZ;
