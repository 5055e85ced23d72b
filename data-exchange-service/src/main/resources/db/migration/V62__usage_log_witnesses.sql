-- Witnesses of the usage log (见证): department systems that receive every signed checkpoint as it is made and keep
-- it outside the exchange, so that a history rewritten and re-signed with the exchange's own key contradicts what
-- they hold (usage-log-verifier --witness). UsageLogWitnessDispatcher pushes the outbox, per witness in checkpoint
-- order; an acknowledgement (2xx) is kept in usage_log_witness_receipt, which outlives the registration.
CREATE TABLE usage_log_witness (
    department_code VARCHAR(18)   PRIMARY KEY,
    url             VARCHAR(1000) NOT NULL,
    status          VARCHAR(16)   NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FAILING')),
    status_reason   VARCHAR(500),
    registered_by   VARCHAR(100)  NOT NULL,
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    lease_until     TIMESTAMPTZ,
    lease_holder    VARCHAR(36)
);

-- No foreign key to the checkpoint: a checkpoint row that is gone by the time of sending is dropped from the queue.
CREATE TABLE usage_log_witness_outbox (
    id              BIGSERIAL    PRIMARY KEY,
    department_code VARCHAR(18)  NOT NULL REFERENCES usage_log_witness (department_code) ON DELETE CASCADE,
    checkpoint_id   BIGINT       NOT NULL,
    status          VARCHAR(16)  NOT NULL DEFAULT 'PENDING'
                    CHECK (status IN ('PENDING', 'ACKNOWLEDGED', 'GAVE_UP', 'REJECTED', 'DROPPED')),
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_status     INT,
    last_error      VARCHAR(40),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at     TIMESTAMPTZ,
    UNIQUE (department_code, checkpoint_id)
);
CREATE INDEX usage_log_witness_outbox_pending ON usage_log_witness_outbox (department_code, checkpoint_id)
    WHERE status = 'PENDING';

CREATE TABLE usage_log_witness_receipt (
    department_code VARCHAR(18)  NOT NULL,
    checkpoint_id   BIGINT       NOT NULL,
    last_seq        BIGINT       NOT NULL,
    acknowledged_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    receipt         VARCHAR(4096),
    PRIMARY KEY (department_code, checkpoint_id)
);
CREATE INDEX usage_log_witness_receipt_checkpoint ON usage_log_witness_receipt (checkpoint_id);

-- Every new checkpoint is queued for every witness in the transaction that signs it: none is lost to a crash.
CREATE FUNCTION usage_log_witness_enqueue() RETURNS trigger AS $$
BEGIN
    INSERT INTO usage_log_witness_outbox (department_code, checkpoint_id)
        SELECT department_code, NEW.id FROM usage_log_witness
        ON CONFLICT (department_code, checkpoint_id) DO NOTHING;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER usage_log_checkpoint_to_witnesses AFTER INSERT ON usage_log_checkpoint
    FOR EACH ROW EXECUTE FUNCTION usage_log_witness_enqueue();
