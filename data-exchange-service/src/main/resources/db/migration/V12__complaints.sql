-- 投诉 (R21, 条例第三十七条): a citizen or an enterprise complains about one access to its data that the citizens'
-- view shows (a usage-log entry). The consumer department that made the access explains itself within 10 working
-- days; the 主管部门 upholds the complaint (optionally suspending the grant used) or dismisses it with reasons.
-- The complainant is kept as the token's account id and the HMAC hash of the ID number / credit code (as in the
-- usage log), never the number itself.
CREATE TABLE complaint (
    id                       BIGSERIAL PRIMARY KEY,
    version                  INT          NOT NULL DEFAULT 0,
    complainant_type         VARCHAR(20)  NOT NULL CHECK (complainant_type IN ('CITIZEN', 'ENTERPRISE')),
    complainant_sub          VARCHAR(200) NOT NULL,
    subject_hash             VARCHAR(64)  NOT NULL,
    usage_log_seq            BIGINT       NOT NULL,
    access_request_id        VARCHAR(128),
    accessed_at              TIMESTAMPTZ  NOT NULL,
    resource_code            VARCHAR(100) NOT NULL,
    consumer_department_code VARCHAR(100) NOT NULL,
    provider_department_code VARCHAR(100),
    grant_id                 BIGINT,
    purpose                  TEXT,
    description              TEXT         NOT NULL,
    requested_remedy         TEXT,
    status                   VARCHAR(20)  NOT NULL CHECK (status IN ('OPEN', 'ANSWERED', 'UPHELD', 'DISMISSED')),
    received_on              DATE         NOT NULL,
    due_on                   DATE         NOT NULL,
    escalated                BOOLEAN      NOT NULL DEFAULT FALSE,
    answer                   TEXT,
    answered_at              TIMESTAMPTZ,
    outcome_reason           TEXT,
    grant_suspended          BOOLEAN      NOT NULL DEFAULT FALSE,
    decided_at               TIMESTAMPTZ,
    created_at               TIMESTAMPTZ  NOT NULL
);
CREATE INDEX complaint_subject ON complaint (subject_hash, id);
CREATE INDEX complaint_consumer ON complaint (consumer_department_code, id);
CREATE INDEX complaint_open_due ON complaint (due_on) WHERE status = 'OPEN';

-- complaints have a history like the other workflows
ALTER TABLE state_change DROP CONSTRAINT state_change_object_type_check;
ALTER TABLE state_change ADD CONSTRAINT state_change_object_type_check
    CHECK (object_type IN ('REQUEST', 'GRANT', 'DISPUTE', 'OBJECTION', 'COMPLAINT'));
