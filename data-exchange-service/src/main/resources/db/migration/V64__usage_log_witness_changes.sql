-- Who changed a witness of the usage log (见证), and what it pointed at before. The feature exists to make tampering
-- evident, so re-pointing a witness at another sink, or removing it, must leave a trace: every registration,
-- re-pointing, resumption and removal is a row here, written in the transaction of the change and never updated or
-- deleted (like state_change, whose BIGINT object ids do not fit a witness keyed by its department's code, and whose
-- history must outlive the registration).
ALTER TABLE usage_log_witness ALTER COLUMN registered_by TYPE VARCHAR(200);
ALTER TABLE usage_log_witness ADD COLUMN updated_by VARCHAR(200);
UPDATE usage_log_witness SET updated_by = registered_by;
ALTER TABLE usage_log_witness ALTER COLUMN updated_by SET NOT NULL;

CREATE TABLE usage_log_witness_change (
    id              BIGSERIAL     PRIMARY KEY,
    department_code VARCHAR(18)   NOT NULL,
    action          VARCHAR(16)   NOT NULL CHECK (action IN ('REGISTERED', 'REPOINTED', 'RESUMED', 'REMOVED')),
    previous_url    VARCHAR(1000),
    url             VARCHAR(1000),
    previous_status VARCHAR(16),
    actor_subject   VARCHAR(200)  NOT NULL,
    actor_name      VARCHAR(200),
    request_id      VARCHAR(128),
    changed_at      TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX usage_log_witness_change_department ON usage_log_witness_change (department_code, id);

CREATE FUNCTION usage_log_witness_change_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'usage_log_witness_change is append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER usage_log_witness_change_no_update BEFORE UPDATE OR DELETE ON usage_log_witness_change
    FOR EACH ROW EXECUTE FUNCTION usage_log_witness_change_append_only();
CREATE TRIGGER usage_log_witness_change_no_truncate BEFORE TRUNCATE ON usage_log_witness_change
    FOR EACH STATEMENT EXECUTE FUNCTION usage_log_witness_change_append_only();

-- A checkpoint signed while a witness is being registered: the trigger's SELECT would not see the uncommitted witness
-- and the registration's max(id) not the uncommitted checkpoint, and that checkpoint would never reach the witness.
-- Both take this lock (UsageLogWitnessService.LOCK) for the rest of their transaction, so one sees the other's rows.
CREATE OR REPLACE FUNCTION usage_log_witness_enqueue() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('exchange-usage-log-witnesses'));
    INSERT INTO usage_log_witness_outbox (department_code, checkpoint_id)
        SELECT department_code, NEW.id FROM usage_log_witness
        ON CONFLICT (department_code, checkpoint_id) DO NOTHING;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
