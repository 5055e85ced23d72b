-- Catalogue replica: what the exchange needs of each catalogue entry, kept from catalog-service's change feed.
CREATE TABLE catalog_entry (
    resource_code            VARCHAR(100) PRIMARY KEY,
    entry_version            INT          NOT NULL,
    name                     VARCHAR(300) NOT NULL,
    provider_department_code VARCHAR(18)  NOT NULL,
    provider_department_name VARCHAR(200),
    region_code              VARCHAR(12),
    share_attribute          VARCHAR(20)  NOT NULL,
    share_conditions         TEXT,
    share_scope              TEXT,
    permitted_purposes       TEXT         NOT NULL DEFAULT '[]',
    not_shared_reason        TEXT,
    not_shared_legal_basis   TEXT,
    grade                    VARCHAR(20),
    key_item                 VARCHAR(50),
    items                    TEXT         NOT NULL DEFAULT '[]',
    deregistered             BOOLEAN      NOT NULL DEFAULT FALSE,
    updated_at               TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX catalog_entry_provider ON catalog_entry (provider_department_code);

CREATE TABLE feed_cursor (
    name       VARCHAR(50) PRIMARY KEY,
    position   BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Working-day calendar (admin-editable): holidays and make-up working days.
CREATE TABLE calendar_day (
    day  DATE PRIMARY KEY,
    kind VARCHAR(10) NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name VARCHAR(100)
);

CREATE TABLE idempotency_record (
    caller      VARCHAR(200) NOT NULL,
    idem_key    VARCHAR(200) NOT NULL,
    operation   VARCHAR(100) NOT NULL,
    resource_id BIGINT       NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, operation, idem_key)
);

-- 共享申请
CREATE TABLE share_request (
    id                       BIGSERIAL PRIMARY KEY,
    version                  INT          NOT NULL DEFAULT 0,
    resource_code            VARCHAR(100) NOT NULL,
    provider_department_code VARCHAR(18)  NOT NULL,
    consumer_department_code VARCHAR(18)  NOT NULL,
    filed_by                 VARCHAR(200) NOT NULL,
    office_head_approver     VARCHAR(200) NOT NULL,
    items                    TEXT         NOT NULL,
    legal_basis              TEXT         NOT NULL,
    scenario                 TEXT         NOT NULL,
    purpose                  TEXT         NOT NULL,
    scope                    TEXT         NOT NULL,
    delivery_method          VARCHAR(20)  NOT NULL,
    period_from              DATE         NOT NULL,
    period_to                DATE         NOT NULL,
    attested                 BOOLEAN      NOT NULL,
    share_attribute          VARCHAR(20)  NOT NULL,
    status                   VARCHAR(30)  NOT NULL,
    received_on              DATE         NOT NULL,
    due_on                   DATE,
    extended                 BOOLEAN      NOT NULL DEFAULT FALSE,
    extension_reason         TEXT,
    extension_days           INT,
    extension_approved_by    VARCHAR(200),
    supplement_asked         BOOLEAN      NOT NULL DEFAULT FALSE,
    supplement_note          TEXT,
    decision_reason          TEXT,
    refusal_legal_basis      TEXT,
    escalated                BOOLEAN      NOT NULL DEFAULT FALSE,
    grant_id                 BIGINT,
    created_at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
    decided_at               TIMESTAMPTZ
);
CREATE INDEX share_request_provider ON share_request (provider_department_code, status);
CREATE INDEX share_request_consumer ON share_request (consumer_department_code, status);

-- 共享授权
CREATE TABLE share_grant (
    id                       BIGSERIAL PRIMARY KEY,
    version                  INT          NOT NULL DEFAULT 0,
    request_id               BIGINT,
    resource_code            VARCHAR(100) NOT NULL,
    provider_department_code VARCHAR(18)  NOT NULL,
    consumer_department_code VARCHAR(18)  NOT NULL,
    items                    TEXT         NOT NULL,
    clear_items              TEXT         NOT NULL DEFAULT '[]',
    purpose                  TEXT         NOT NULL,
    legal_basis              TEXT         NOT NULL,
    delivery_method          VARCHAR(20)  NOT NULL,
    valid_from               DATE         NOT NULL,
    valid_to                 DATE         NOT NULL,
    quota_per_second         INT          NOT NULL,
    quota_per_day            INT          NOT NULL,
    status                   VARCHAR(20)  NOT NULL,
    status_reason            TEXT,
    disposal_confirmed_at    TIMESTAMPTZ,
    disposal_confirmed_by    VARCHAR(200),
    created_at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX share_grant_resource ON share_grant (resource_code, status);
CREATE INDEX share_grant_consumer ON share_grant (consumer_department_code, status);

-- Notices to departments (extension, change, suspension, escalation, ...).
CREATE TABLE notice (
    id              BIGSERIAL PRIMARY KEY,
    department_code VARCHAR(18)  NOT NULL,
    kind            VARCHAR(40)  NOT NULL,
    subject_type    VARCHAR(20)  NOT NULL,
    subject_id      BIGINT       NOT NULL,
    message         TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX notice_department ON notice (department_code, id);

-- Disputes over refusals (R17): climb from the provider's competent authority upwards.
CREATE TABLE dispute (
    id                       BIGSERIAL PRIMARY KEY,
    version                  INT          NOT NULL DEFAULT 0,
    request_id               BIGINT       NOT NULL,
    opened_by                VARCHAR(200) NOT NULL,
    consumer_department_code VARCHAR(18)  NOT NULL,
    provider_department_code VARCHAR(18)  NOT NULL,
    reason                   TEXT         NOT NULL,
    level                    VARCHAR(30)  NOT NULL,
    handler_department_code  VARCHAR(18)  NOT NULL,
    status                   VARCHAR(20)  NOT NULL,
    resolution               TEXT,
    created_at               TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- 校核: data-quality objections.
CREATE TABLE objection (
    id                       BIGSERIAL PRIMARY KEY,
    version                  INT          NOT NULL DEFAULT 0,
    resource_code            VARCHAR(100) NOT NULL,
    record_key_hash          VARCHAR(64)  NOT NULL,
    consumer_department_code VARCHAR(18)  NOT NULL,
    provider_department_code VARCHAR(18)  NOT NULL,
    description              TEXT         NOT NULL,
    status                   VARCHAR(20)  NOT NULL,
    answer                   TEXT,
    received_on              DATE         NOT NULL,
    due_on                   DATE         NOT NULL,
    escalated                BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at               TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Hosted datasets: the provider's records, keyed by the entry's key item; each change gets a sequence number
-- (the subscription change feed) and a dataset version.
CREATE SEQUENCE record_change_seq;
CREATE TABLE dataset_record (
    resource_code  VARCHAR(100) NOT NULL,
    record_key     VARCHAR(100) NOT NULL,
    data           TEXT         NOT NULL,
    record_version INT          NOT NULL,
    change_seq     BIGINT       NOT NULL,
    deleted        BOOLEAN      NOT NULL DEFAULT FALSE,
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (resource_code, record_key)
);
CREATE INDEX dataset_record_changes ON dataset_record (resource_code, change_seq);

CREATE TABLE dataset_upload (
    id             BIGSERIAL PRIMARY KEY,
    resource_code  VARCHAR(100) NOT NULL,
    format         VARCHAR(10)  NOT NULL,
    record_count   INT          NOT NULL,
    uploaded_by    VARCHAR(200) NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Proxied services: the provider's own endpoint, called with the consumer's identity, purpose and grant.
CREATE TABLE proxied_service (
    resource_code  VARCHAR(100) PRIMARY KEY,
    endpoint_url   VARCHAR(1000) NOT NULL,
    timeout_ms     INT           NOT NULL,
    registered_by  VARCHAR(200)  NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- 电子印章 keys, per provider department. Public halves are served as JWKS.
CREATE TABLE seal_key (
    kid             VARCHAR(100) PRIMARY KEY,
    department_code VARCHAR(18)  NOT NULL,
    algorithm       VARCHAR(20)  NOT NULL,
    private_jwk     TEXT         NOT NULL,
    public_jwk      TEXT         NOT NULL,
    active          BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX seal_key_department ON seal_key (department_code, active);

-- Usage log: append-only, hash-chained, partitioned by month, kept >= 3 years (R16).
CREATE TABLE usage_log (
    seq                      BIGINT       NOT NULL,
    logged_at                TIMESTAMPTZ  NOT NULL,
    request_id               VARCHAR(100),
    client_id                VARCHAR(200),
    user_sub                 VARCHAR(200),
    consumer_department_code VARCHAR(18),
    grant_id                 BIGINT,
    purpose                  TEXT,
    legal_basis              TEXT,
    resource_code            VARCHAR(100) NOT NULL,
    provider_department_code VARCHAR(18),
    items                    TEXT         NOT NULL,
    subject_hashes           TEXT[]       NOT NULL,
    operation                VARCHAR(30)  NOT NULL,
    outcome                  VARCHAR(30)  NOT NULL,
    hidden_until             DATE,
    prev_hash                CHAR(64)     NOT NULL,
    entry_hash               CHAR(64)     NOT NULL,
    PRIMARY KEY (seq, logged_at)
) PARTITION BY RANGE (logged_at);

DO $$
DECLARE
    m DATE := DATE '2025-01-01';
BEGIN
    WHILE m < DATE '2030-01-01' LOOP
        EXECUTE format('CREATE TABLE usage_log_%s PARTITION OF usage_log FOR VALUES FROM (%L) TO (%L)',
                       to_char(m, 'YYYYMM'), m, (m + INTERVAL '1 month')::date);
        m := (m + INTERVAL '1 month')::date;
    END LOOP;
END $$;
CREATE TABLE usage_log_default PARTITION OF usage_log DEFAULT;
CREATE INDEX usage_log_subjects ON usage_log USING GIN (subject_hashes);
CREATE INDEX usage_log_provider ON usage_log (provider_department_code, seq);
CREATE INDEX usage_log_seq ON usage_log (seq);

-- The chain head: one row, locked by each writer batch, so the chain stays linear across replicas.
CREATE TABLE usage_log_head (
    id        INT PRIMARY KEY CHECK (id = 1),
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL
);
INSERT INTO usage_log_head VALUES (1, 0, repeat('0', 64));

CREATE FUNCTION usage_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'usage_log is append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER usage_log_no_update BEFORE UPDATE OR DELETE ON usage_log
    FOR EACH ROW EXECUTE FUNCTION usage_log_append_only();

-- Signed checkpoints over the chain.
CREATE TABLE usage_log_checkpoint (
    id         BIGSERIAL PRIMARY KEY,
    last_seq   BIGINT      NOT NULL,
    last_hash  CHAR(64)    NOT NULL,
    signature  TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Who hid a covert query from the citizens' view, and why (the hiding itself is logged).
CREATE TABLE covert_hiding (
    log_seq       BIGINT       NOT NULL,
    hidden_until  DATE         NOT NULL,
    legal_basis   TEXT         NOT NULL,
    requested_by  VARCHAR(200) NOT NULL,
    department    VARCHAR(18),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Benchmark baseline: a bare primary-key table.
CREATE TABLE bench_row (
    id   BIGINT PRIMARY KEY,
    data TEXT NOT NULL
);
INSERT INTO bench_row SELECT g, '{"id":' || g || ',"name":"row ' || g || '"}' FROM generate_series(1, 1000) g;
