-- 回流 (R18, 条例第二十四条): the requester's region, the grant's basis and the region its records are limited to.
ALTER TABLE share_request ADD COLUMN consumer_region_code VARCHAR(12);
ALTER TABLE share_grant ADD COLUMN basis VARCHAR(100);
ALTER TABLE share_grant ADD COLUMN region_scope VARCHAR(12);

-- Signed webhooks for subscriptions: one per grant; deliveries leave from a durable outbox.
CREATE TABLE webhook_subscription (
    id                       BIGSERIAL PRIMARY KEY,
    grant_id                 BIGINT        NOT NULL UNIQUE,
    resource_code            VARCHAR(100)  NOT NULL,
    consumer_department_code VARCHAR(18)   NOT NULL,
    url                      VARCHAR(1000) NOT NULL,
    status                   VARCHAR(20)   NOT NULL CHECK (status IN ('ACTIVE', 'FAILING', 'STOPPED')),
    status_reason            TEXT,
    registered_by            VARCHAR(200)  NOT NULL,
    lease_until              TIMESTAMPTZ,
    created_at               TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscription_resource ON webhook_subscription (resource_code, status);

-- One row per change and subscription, in change order; the record as it was at that change (minimised, masked
-- and sealed only when it is sent, under the grant as it stands then).
CREATE TABLE webhook_outbox (
    id              BIGSERIAL PRIMARY KEY,
    subscription_id BIGINT       NOT NULL REFERENCES webhook_subscription (id),
    event_id        UUID         NOT NULL UNIQUE,
    change_seq      BIGINT       NOT NULL,
    record_key      VARCHAR(100) NOT NULL,
    deleted         BOOLEAN      NOT NULL,
    data            TEXT         NOT NULL,
    status          VARCHAR(20)  NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'DELIVERED', 'SKIPPED', 'REJECTED', 'GAVE_UP', 'DROPPED')),
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_status     INT,
    last_error      TEXT,
    usage_log_seq   BIGINT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at     TIMESTAMPTZ
);
CREATE INDEX webhook_outbox_pending ON webhook_outbox (subscription_id, id) WHERE status = 'PENDING';
CREATE INDEX webhook_outbox_subscription ON webhook_outbox (subscription_id, id);

-- Every attempt: when, which delivery id, the receiver's answer, and the back-off chosen after it.
CREATE TABLE webhook_attempt (
    id            BIGSERIAL PRIMARY KEY,
    outbox_id     BIGINT      NOT NULL REFERENCES webhook_outbox (id),
    attempt       INT         NOT NULL,
    delivery_id   UUID        NOT NULL,
    usage_log_seq BIGINT      NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    http_status   INT,
    error         TEXT,
    retry_in_ms   BIGINT
);
CREATE INDEX webhook_attempt_outbox ON webhook_attempt (outbox_id, attempt);

-- Transactional outbox: every write of a hosted record queues one event per live webhook on that resource, in the
-- same transaction as the write (nothing is lost if the service stops before sending).
CREATE FUNCTION webhook_fan_out() RETURNS trigger AS $$
BEGIN
    INSERT INTO webhook_outbox (subscription_id, event_id, change_seq, record_key, deleted, data)
    SELECT s.id, gen_random_uuid(), NEW.change_seq, NEW.record_key, NEW.deleted, NEW.data
      FROM webhook_subscription s
     WHERE s.resource_code = NEW.resource_code AND s.status IN ('ACTIVE', 'FAILING');
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER dataset_record_webhooks AFTER INSERT OR UPDATE ON dataset_record
    FOR EACH ROW EXECUTE FUNCTION webhook_fan_out();
