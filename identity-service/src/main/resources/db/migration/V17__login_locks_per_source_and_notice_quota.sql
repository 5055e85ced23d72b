-- Login locks are kept per (login name, source) and per source; the login name alone gets only a short soft delay.
-- No password login stays blocked: the blocks set by V14's counter (reachable by anyone who knew a login name) are
-- lifted here, each with an audit row naming the account, and the columns go.
INSERT INTO audit_event (at, event_type, outcome, actor, subject, detail)
SELECT now(), 'LOGIN_UNLOCKED', 'SUCCESS', 'migration V17', CAST(a.id AS VARCHAR),
       'permanent block of password login lifted (blocked at ' || t.blocked_at || '): replaced by per-source locks'
FROM login_throttle t JOIN account a ON lower(a.username) = substr(t.throttle_key, 6)
WHERE t.blocked_at IS NOT NULL AND t.throttle_key LIKE 'user:%';
DELETE FROM login_throttle WHERE blocked_at IS NOT NULL;
-- a login name's own lock is now at most the soft delay (default one minute)
UPDATE login_throttle SET locked_until = LEAST(locked_until, now() + interval '1 minute')
WHERE throttle_key LIKE 'user:%' AND locked_until > now();
ALTER TABLE login_throttle DROP COLUMN blocked_at;
ALTER TABLE login_throttle DROP COLUMN consecutive_failures;

-- Messages of a kind to an account per day (China Standard Time): lock notices, registration-attempt notices and
-- reset messages are bounded, so strangers cannot flood a holder.
CREATE TABLE notice_quota (
    account_id  UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind        VARCHAR(40)  NOT NULL,
    day         DATE         NOT NULL,
    sent        INT          NOT NULL,
    PRIMARY KEY (account_id, kind, day)
);

ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check CHECK (kind IN ('PASSWORD_RESET',
    'PASSWORD_CHANGED', 'REGISTRATION_CONFIRM', 'REGISTRATION_ATTEMPT', 'LOGIN_LOCKED', 'DELEGATION_INVITED', 'DELEGATION_CHANGED', 'TOTP_CHANGED', 'LOGIN_UNLOCKED', 'ACCOUNT_DISABLED',
    'LEVEL_CHANGED'));

-- A delegation is an invitation until the person named responds: what the enterprise's side typed (the name, the
-- ID number masked and as a keyed digest) is kept, and the agent's account is bound only then. Existing ones are
-- bound already and keep the name of their agent's account.
ALTER TABLE delegation ALTER COLUMN agent_id DROP NOT NULL;
ALTER TABLE delegation ADD COLUMN agent_name VARCHAR(200);
ALTER TABLE delegation ADD COLUMN agent_id_masked VARCHAR(18);
ALTER TABLE delegation ADD COLUMN agent_id_digest VARCHAR(64);
UPDATE delegation d SET agent_name = a.display_name,
       agent_id_masked = CASE WHEN a.id_number IS NULL OR length(a.id_number) < 15 THEN '' ELSE
           substr(a.id_number, 1, 6) || repeat('*', length(a.id_number) - 10) || right(a.id_number, 4) END
FROM account a WHERE a.id = d.agent_id;
ALTER TABLE delegation ALTER COLUMN agent_name SET NOT NULL;
ALTER TABLE delegation ALTER COLUMN agent_id_masked SET NOT NULL;
CREATE INDEX delegation_invitation_idx ON delegation (agent_id_digest) WHERE agent_id IS NULL;
