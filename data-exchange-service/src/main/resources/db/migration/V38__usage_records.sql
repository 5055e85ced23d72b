-- 条例第二十九条第二款 (R16): the consumer department records, per grant, the usage scenario, the usage process, the
-- storage, the outcomes (应用成效) and the destruction of the shared data; the records are kept for at least 3 years and
-- the 主管部门 and the provider may inspect them.
--
-- Append-only: a record is never changed (UPDATE refused), and none younger than the retention period is deleted or
-- truncated. The period is that of the usage log (R16, 3 years), given by usage_record_retention(); created_at is the
-- database's own clock, stamped on insert whatever the application sends, so no row can be written old.
-- Each record is also a usage-log entry (operation USAGE_RECORD_<kind>, request_id usage-record:<id>:<digest>,
-- usage_log_seq here), so the usage log's hash chain and signed checkpoints cover it.
CREATE SEQUENCE usage_record_id_seq;

CREATE TABLE usage_record (
    id               BIGINT       PRIMARY KEY,
    grant_id         BIGINT       NOT NULL REFERENCES share_grant (id),
    kind             VARCHAR(20)  NOT NULL
        CHECK (kind IN ('SCENARIO', 'PROCESSING', 'STORAGE', 'OUTCOME', 'DESTRUCTION')),
    description      TEXT         NOT NULL CHECK (char_length(description) <= 4000),
    location         TEXT,
    safeguards       TEXT,
    period_from      DATE,
    period_to        DATE,
    outcome          TEXT,
    method           TEXT,
    destroyed_on     DATE,
    recorded_by      VARCHAR(200) NOT NULL,
    recorded_by_name VARCHAR(200),
    client_id        VARCHAR(200),
    department_code  VARCHAR(18)  NOT NULL,
    automatic        BOOLEAN      NOT NULL DEFAULT FALSE,
    recorded_at      TIMESTAMPTZ  NOT NULL,
    digest           CHAR(64)     NOT NULL,
    usage_log_seq    BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX usage_record_grant ON usage_record (grant_id, id);
CREATE INDEX usage_record_grant_kind ON usage_record (grant_id, kind, recorded_at);

-- How long a usage record is kept before it may be deleted (R16: at least 3 years, as the usage log).
CREATE FUNCTION usage_record_retention() RETURNS INTERVAL LANGUAGE SQL IMMUTABLE AS $$ SELECT INTERVAL '3 years' $$;

CREATE FUNCTION usage_record_stamped() RETURNS trigger AS $$
BEGIN
    NEW.created_at := now();
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER usage_record_created_now BEFORE INSERT ON usage_record
    FOR EACH ROW EXECUTE FUNCTION usage_record_stamped();

CREATE FUNCTION usage_record_retained() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'usage_record is append-only: record % cannot be changed', OLD.id;
    ELSIF TG_OP = 'TRUNCATE' THEN
        IF EXISTS (SELECT 1 FROM usage_record WHERE created_at > now() - usage_record_retention()) THEN
            RAISE EXCEPTION 'usage_record holds records younger than the retention period (%)',
                usage_record_retention();
        END IF;
        RETURN NULL;
    ELSIF OLD.created_at > now() - usage_record_retention() THEN
        RAISE EXCEPTION 'usage record % is kept until %', OLD.id, OLD.created_at + usage_record_retention();
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER usage_record_kept BEFORE UPDATE OR DELETE ON usage_record
    FOR EACH ROW EXECUTE FUNCTION usage_record_retained();
CREATE TRIGGER usage_record_not_truncated BEFORE TRUNCATE ON usage_record
    FOR EACH STATEMENT EXECUTE FUNCTION usage_record_retained();

-- Notices that a grant's periodic outcome statement is overdue: one per grant and overdue period.
CREATE TABLE usage_outcome_reminder (
    grant_id      BIGINT      NOT NULL REFERENCES share_grant (id),
    overdue_since TIMESTAMPTZ NOT NULL,
    notified_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (grant_id, overdue_since)
);
