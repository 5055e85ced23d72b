-- Pending TOTP secrets past their lifetime are cleared every few minutes (TotpFactor.purgeExpiredPending): find the
-- few accounts with one waiting without reading every account. Only those rows are indexed.
CREATE INDEX account_totp_pending_issued_idx ON account (totp_pending_issued_at) WHERE totp_pending IS NOT NULL;
