-- Account recovery, confirmed self-registration, and the outbox of messages to account holders.

-- Messages to account holders by SMS or e-mail. identity-service has no gateway of its own: a sender process drains
-- this table (SELECT ... WHERE sent_at IS NULL AND expires_at > now() ORDER BY id FOR UPDATE SKIP LOCKED), delivers
-- each message and sets sent_at. Bodies may carry one-time tokens; they are deleted a day after sending or expiry.
CREATE TABLE notification_outbox (
    id          BIGSERIAL PRIMARY KEY,
    kind        VARCHAR(40)  NOT NULL CHECK (kind IN ('PASSWORD_RESET', 'PASSWORD_CHANGED', 'REGISTRATION_CONFIRM',
                                                      'REGISTRATION_ATTEMPT')),
    channel     VARCHAR(10)  NOT NULL CHECK (channel IN ('SMS', 'EMAIL')),
    recipient   VARCHAR(200) NOT NULL,
    account_id  UUID REFERENCES account (id) ON DELETE CASCADE,
    subject     VARCHAR(200) NOT NULL,
    body        TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ  NOT NULL,                  -- not worth delivering after this
    sent_at     TIMESTAMPTZ,
    attempts    INT          NOT NULL DEFAULT 0,
    last_error  VARCHAR(300)
);
CREATE INDEX notification_outbox_unsent_idx ON notification_outbox (id) WHERE sent_at IS NULL;

-- Recovery requests wait here: answering the requester is then the same work whether or not the account exists.
CREATE TABLE recovery_request (
    id          BIGSERIAL PRIMARY KEY,
    identifier  VARCHAR(64)  NOT NULL,
    ip          VARCHAR(64),
    english     BOOLEAN      NOT NULL DEFAULT FALSE,
    request_id  VARCHAR(100),
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One-time password-reset tokens: only the SHA-256 is kept; the token itself is only in the outbox message.
CREATE TABLE password_reset (
    token_hash  VARCHAR(64)  PRIMARY KEY,
    account_id  UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ  NOT NULL,
    used_at     TIMESTAMPTZ,
    outcome     VARCHAR(16)  CHECK (outcome IN ('USED', 'SUPERSEDED'))
);
CREATE INDEX password_reset_account_idx ON password_reset (account_id);

-- Self-registrations waiting for the confirmation token sent to the contact given (SHA-256 of the token kept).
CREATE TABLE pending_registration (
    token_hash     VARCHAR(64)  PRIMARY KEY,
    id_number      VARCHAR(18)  NOT NULL,
    display_name   VARCHAR(200) NOT NULL,
    password_hash  VARCHAR(300) NOT NULL,
    email          VARCHAR(200),
    phone          VARCHAR(32),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ  NOT NULL
);

-- Private signing keys are sealed with AES-256-GCM under the configured key-encryption key; rows still in clear
-- are sealed by the service at start (it holds the key, this migration does not).
COMMENT ON COLUMN signing_key.jwk IS 'enc:v1:<kek id>:<nonce>:<ciphertext> (AES-256-GCM of the private JWK)';
