-- 注销账户 (PIPL Art. 47): the holder asks for closure with their password; it waits for a cooling-off period during
-- which signing in again, or the cancel token sent to the contact, cancels it. When it has passed the account is
-- closed: status CLOSED, personal fields removed, the login name and the ID number freed for a new registration.
-- The row itself stays, so the audit trail (which names accounts by id) keeps pointing at something.
ALTER TABLE account DROP CONSTRAINT IF EXISTS account_status_check;
ALTER TABLE account ADD CONSTRAINT account_status_check CHECK (status IN ('ACTIVE', 'DISABLED', 'CLOSED'));

CREATE TABLE account_closure (
    id            UUID         PRIMARY KEY,
    account_id    UUID         NOT NULL REFERENCES account (id),
    requested_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    effective_at  TIMESTAMPTZ  NOT NULL,                  -- closed by the scheduled step at or after this
    cancel_hash   VARCHAR(64)  UNIQUE,                    -- SHA-256 of the cancel token sent to the contact
    ended_at      TIMESTAMPTZ,
    outcome       VARCHAR(20)  CHECK (outcome IN ('CLOSED', 'CANCELLED_BY_SIGN_IN', 'CANCELLED_BY_TOKEN')),
    -- keyed digest (HMAC) of the closed account's ID number: an authority holding the number can still find its
    -- audit trail, nobody can read the number from it
    id_digest     VARCHAR(64)
);
CREATE UNIQUE INDEX account_closure_open_idx ON account_closure (account_id) WHERE ended_at IS NULL;
CREATE INDEX account_closure_due_idx ON account_closure (effective_at) WHERE ended_at IS NULL;
CREATE INDEX account_closure_digest_idx ON account_closure (id_digest) WHERE id_digest IS NOT NULL;
