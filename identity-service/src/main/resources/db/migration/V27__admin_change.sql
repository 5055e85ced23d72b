-- 双人复核 (four-eyes): a change of another administrator's roles, real-name level or contacts (counter verification)
-- asked for by one administrator waits here until a second one, neither the requester nor the account's holder,
-- confirms or rejects it, or until it expires. At most one waits per account.
CREATE TABLE admin_change (
    id            UUID PRIMARY KEY,
    account_id    UUID         NOT NULL REFERENCES account (id),
    kind          VARCHAR(24)  NOT NULL CHECK (kind IN ('ROLES', 'LEVEL', 'COUNTER_VERIFICATION')),
    roles         VARCHAR(200),                 -- ROLES: the roles asked for, space separated
    level         INT CHECK (level BETWEEN 1 AND 4),  -- LEVEL: verified when asked for; the evidence is not kept
    level_method  VARCHAR(40),
    level_source  VARCHAR(100),
    phone         VARCHAR(32),                  -- COUNTER_VERIFICATION: the contacts given, until it is decided
    email         VARCHAR(200),
    reason        VARCHAR(500),
    requested_by  UUID         NOT NULL REFERENCES account (id),
    requested_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ  NOT NULL,
    status        VARCHAR(16)  NOT NULL CHECK (status IN ('PENDING', 'APPLIED', 'REJECTED', 'EXPIRED')),
    decided_by    UUID REFERENCES account (id),
    decided_at    TIMESTAMPTZ,
    version       BIGINT       NOT NULL DEFAULT 0,
    CHECK (requested_by <> account_id),
    CHECK (decided_by IS NULL OR decided_by <> account_id),
    CHECK (status <> 'APPLIED' OR decided_by <> requested_by),
    CHECK ((status = 'PENDING') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX admin_change_pending_idx ON admin_change (account_id) WHERE status = 'PENDING';
CREATE INDEX admin_change_requested_idx ON admin_change (requested_at DESC, id);
