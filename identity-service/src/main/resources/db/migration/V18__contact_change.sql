-- The holder changes their phone or e-mail (更换手机或邮箱): a code sent to the new contact proves it, then a
-- cooling-off period follows during which the old contact can cancel; only then does the account (and so recovery)
-- use the new one. At most one change of an account is open at a time.
CREATE TABLE contact_change (
    id              UUID         PRIMARY KEY,
    account_id      UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    channel         VARCHAR(8)   NOT NULL CHECK (channel IN ('PHONE', 'EMAIL')),
    new_value       VARCHAR(200) NOT NULL,
    code_hash       VARCHAR(64)  NOT NULL,                 -- SHA-256 of the change id and the code sent
    code_expires_at TIMESTAMPTZ  NOT NULL,
    code_failures   INT          NOT NULL DEFAULT 0,
    cancel_hash     VARCHAR(64)  UNIQUE,                   -- SHA-256 of the cancel token sent to the old contact
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    confirmed_at    TIMESTAMPTZ,                           -- the code was right: cooling-off until effective_at
    effective_at    TIMESTAMPTZ,
    ended_at        TIMESTAMPTZ,                           -- applied, cancelled, replaced or given up
    outcome         VARCHAR(20)  CHECK (outcome IN ('APPLIED', 'CANCELLED', 'SUPERSEDED', 'DISCARDED', 'COUNTER'))
);
CREATE UNIQUE INDEX contact_change_open_idx ON contact_change (account_id) WHERE ended_at IS NULL;
CREATE INDEX contact_change_due_idx ON contact_change (effective_at) WHERE ended_at IS NULL AND confirmed_at IS NOT NULL;

-- Message kinds are named in NotificationOutbox.Kind; the table only keeps them well-formed, so a new kind needs no
-- migration of its own.
ALTER TABLE notification_outbox DROP CONSTRAINT IF EXISTS notification_outbox_kind_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check CHECK (kind ~ '^[A-Z][A-Z_]{0,39}$');

-- Where a sign-in came from, for the holder's list of their sessions (GET me/sessions shows the address as its /24).
ALTER TABLE sso_session ADD COLUMN ip VARCHAR(64), ADD COLUMN user_agent VARCHAR(300);
