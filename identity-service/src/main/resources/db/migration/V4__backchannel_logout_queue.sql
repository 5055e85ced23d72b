-- Back-channel logout deliveries (OpenID Connect Back-Channel Logout 1.0). A row is written in the transaction that
-- ends the SSO session, one per client of the session with a registered back-channel logout URI; it is tried once
-- after commit and, on network errors and 5xx answers, again with back-off until delivered, refused or given up.
-- The logout token is not stored: it is signed afresh (new jti, iat, exp) for every attempt.
CREATE TABLE backchannel_logout (
    id               BIGSERIAL PRIMARY KEY,
    client_id        VARCHAR(100) NOT NULL,
    account_id       UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    subject          VARCHAR(64)  NOT NULL,   -- sub of the logout token (the enterprise when an agent acted for it)
    sid              VARCHAR(64)  NOT NULL,   -- the ended session's sid
    request_id       VARCHAR(100),            -- of the request that ended the session, for the audit trail
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    next_attempt_at  TIMESTAMPTZ  NOT NULL,   -- also the lease of an attempt in progress
    attempts         INT          NOT NULL DEFAULT 0,
    last_status      INT,                     -- HTTP status of the last answer
    last_error       VARCHAR(300),            -- or why there was none
    finished_at      TIMESTAMPTZ,
    outcome          VARCHAR(16)  CHECK (outcome IN ('DELIVERED', 'REFUSED', 'GAVE_UP', 'NO_CLIENT'))
);
CREATE INDEX backchannel_logout_due_idx ON backchannel_logout (next_attempt_at) WHERE finished_at IS NULL;
