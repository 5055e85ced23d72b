-- Accounts, OAuth clients, signing keys, sessions, codes, grants, refresh tokens, consents, delegations and audit.

CREATE TABLE account (
    id                 UUID PRIMARY KEY,
    account_type       VARCHAR(20)  NOT NULL CHECK (account_type IN ('NATURAL_PERSON', 'LEGAL_PERSON', 'CIVIL_SERVANT')),
    username           VARCHAR(64)  NOT NULL UNIQUE,     -- login name (公民身份号码 for citizens, 统一社会信用代码 for enterprises)
    display_name       VARCHAR(200) NOT NULL,
    id_number          VARCHAR(18),                      -- 公民身份号码 (natural persons, civil servants)
    uscc               VARCHAR(18) UNIQUE,               -- 统一社会信用代码 (legal persons)
    department_id      BIGINT REFERENCES department (id),
    legal_representative_id UUID REFERENCES account (id),
    email              VARCHAR(200),
    phone              VARCHAR(32),
    password_hash      VARCHAR(300),
    level              SMALLINT     NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 4),
    level_method       VARCHAR(40),                      -- how the level was reached
    level_source       VARCHAR(100),                     -- which register or office checked it
    level_verified_at  TIMESTAMPTZ,
    totp_secret        VARCHAR(64),
    status             VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
    failed_logins      INT          NOT NULL DEFAULT 0,
    locked_until       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version            BIGINT       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX account_id_number_idx ON account (id_number, account_type) WHERE id_number IS NOT NULL;
CREATE INDEX account_department_idx ON account (department_id);

CREATE TABLE account_role (
    account_id  UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role        VARCHAR(32) NOT NULL CHECK (role IN ('operator', 'catalog-editor', 'reviewer', 'auditor', 'admin')),
    PRIMARY KEY (account_id, role)
);

CREATE TABLE oauth_client (
    client_id                  VARCHAR(100) PRIMARY KEY,
    name                       VARCHAR(200) NOT NULL,
    secret_hash                VARCHAR(200),
    auth_method                VARCHAR(32)  NOT NULL CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt')),
    grant_types                VARCHAR(200) NOT NULL,   -- space separated
    redirect_uris              TEXT         NOT NULL DEFAULT '',  -- one per line, matched exactly
    post_logout_redirect_uris  TEXT         NOT NULL DEFAULT '',
    backchannel_logout_uri     VARCHAR(500),
    scopes                     VARCHAR(500) NOT NULL,
    audiences                  VARCHAR(300) NOT NULL,
    roles                      VARCHAR(200) NOT NULL DEFAULT '',
    department_id              BIGINT REFERENCES department (id),
    first_party                BOOLEAN      NOT NULL DEFAULT FALSE,
    jwks                       TEXT,
    jwks_uri                   VARCHAR(500),
    signing_alg                VARCHAR(10)  NOT NULL DEFAULT 'RS256',
    min_level                  SMALLINT     NOT NULL DEFAULT 1 CHECK (min_level BETWEEN 1 AND 4),
    enabled                    BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at                 TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version                    BIGINT       NOT NULL DEFAULT 0
);

-- Signing keys: NEXT keys are published before use, RETIRED ones stay published until their tokens expire.
CREATE TABLE signing_key (
    kid           VARCHAR(64) PRIMARY KEY,
    alg           VARCHAR(10) NOT NULL,
    jwk           TEXT        NOT NULL,
    status        VARCHAR(10) NOT NULL CHECK (status IN ('NEXT', 'ACTIVE', 'RETIRED')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    activated_at  TIMESTAMPTZ,
    retired_at    TIMESTAMPTZ,
    remove_after  TIMESTAMPTZ
);

CREATE TABLE sso_session (
    id            VARCHAR(64) PRIMARY KEY,            -- SHA-256 of the cookie value
    sid           VARCHAR(64) NOT NULL UNIQUE,        -- the public session id (ID token / logout token sid)
    account_id    UUID        NOT NULL REFERENCES account (id),
    acr_level     SMALLINT    NOT NULL,
    amr           VARCHAR(64) NOT NULL,
    acting_for    UUID REFERENCES account (id),       -- enterprise an agent acts for
    auth_time     TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ
);
CREATE INDEX sso_session_account_idx ON sso_session (account_id);

CREATE TABLE session_client (
    session_id  VARCHAR(64)  NOT NULL REFERENCES sso_session (id) ON DELETE CASCADE,
    client_id   VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, client_id)
);

-- An authorization request waiting for the user at the login page.
CREATE TABLE pending_authorization (
    id          VARCHAR(64)  PRIMARY KEY,
    client_id   VARCHAR(100) NOT NULL,
    query       TEXT         NOT NULL,
    csrf        VARCHAR(64)  NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE token_grant (
    id             UUID PRIMARY KEY,
    client_id      VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    account_id     UUID         NOT NULL REFERENCES account (id),
    session_id     VARCHAR(64),
    scope          VARCHAR(500) NOT NULL,
    acr_level      SMALLINT     NOT NULL,
    amr            VARCHAR(64)  NOT NULL,
    acting_for     UUID,
    auth_time      TIMESTAMPTZ  NOT NULL,
    nonce          VARCHAR(300),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at     TIMESTAMPTZ,
    revoke_reason  VARCHAR(64)
);
CREATE INDEX token_grant_session_idx ON token_grant (session_id);
CREATE INDEX token_grant_account_idx ON token_grant (account_id);

CREATE TABLE authorization_code (
    code_hash       VARCHAR(64)  PRIMARY KEY,
    grant_id        UUID         NOT NULL REFERENCES token_grant (id) ON DELETE CASCADE,
    redirect_uri    VARCHAR(500) NOT NULL,
    code_challenge  VARCHAR(128) NOT NULL,
    expires_at      TIMESTAMPTZ  NOT NULL,
    used_at         TIMESTAMPTZ
);

CREATE TABLE refresh_token (
    token_hash  VARCHAR(64) PRIMARY KEY,
    grant_id    UUID        NOT NULL REFERENCES token_grant (id) ON DELETE CASCADE,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX refresh_token_grant_idx ON refresh_token (grant_id);

CREATE TABLE revoked_access_token (
    jti         VARCHAR(64) PRIMARY KEY,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- private_key_jwt assertions already used (replay protection).
CREATE TABLE client_assertion_jti (
    client_id   VARCHAR(100) NOT NULL,
    jti         VARCHAR(200) NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE TABLE consent (
    account_id    UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    client_id     VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    scope         VARCHAR(500) NOT NULL,
    granted_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, client_id)
);

-- 经办人授权: an enterprise authorises an agent for a period, optionally for named clients.
CREATE TABLE delegation (
    id             UUID PRIMARY KEY,
    enterprise_id  UUID         NOT NULL REFERENCES account (id),
    agent_id       UUID         NOT NULL REFERENCES account (id),
    client_ids     VARCHAR(500) NOT NULL DEFAULT '',   -- space separated; empty = every service
    valid_from     TIMESTAMPTZ  NOT NULL,
    valid_to       TIMESTAMPTZ  NOT NULL,
    status         VARCHAR(16)  NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'REVOKED', 'DECLINED')),
    created_by     UUID         NOT NULL REFERENCES account (id),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    accepted_at    TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    revoked_by     UUID REFERENCES account (id),
    version        BIGINT       NOT NULL DEFAULT 0,
    CHECK (valid_to > valid_from)
);
CREATE INDEX delegation_agent_idx ON delegation (agent_id);
CREATE INDEX delegation_enterprise_idx ON delegation (enterprise_id);

-- Failed-login counters per account and per IP address (shared by every replica).
CREATE TABLE login_throttle (
    throttle_key  VARCHAR(120) PRIMARY KEY,
    failures      INT          NOT NULL DEFAULT 0,
    window_start  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    locked_until  TIMESTAMPTZ
);

-- Audit trail: never passwords, secrets or tokens.
CREATE TABLE audit_event (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    event_type  VARCHAR(40)  NOT NULL,
    outcome     VARCHAR(10)  NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
    actor       VARCHAR(120),
    subject     VARCHAR(120),
    client_id   VARCHAR(100),
    ip          VARCHAR(64),
    detail      VARCHAR(1000),
    request_id  VARCHAR(100)
);
CREATE INDEX audit_event_at_idx ON audit_event (at);
CREATE INDEX audit_event_type_idx ON audit_event (event_type, at);
