-- 个人信息更正补充申请 (PIPL 第四十六条; compare 条例第二十六条 校核, table objection): a citizen or an enterprise says
-- that data about it in a catalogue entry's dataset is wrong or incomplete; the entry's 数源部门 (its provider
-- department) verifies and answers within a number of working days (EXCHANGE_CORRECTION_ANSWER_WORKING_DAYS, 10 by
-- default), corrected, supplemented or not corrected with its reasons. The requester is kept as the token's account
-- id and the HMAC hash of the ID number / credit code (as complaints keep it), never the number itself.
CREATE TABLE correction (
    id                       BIGSERIAL PRIMARY KEY,
    version                  INT          NOT NULL DEFAULT 0,
    requester_type           VARCHAR(20)  NOT NULL CHECK (requester_type IN ('CITIZEN', 'ENTERPRISE')),
    requester_sub            VARCHAR(200) NOT NULL,
    subject_hash             VARCHAR(64)  NOT NULL,
    resource_code            VARCHAR(100) NOT NULL,
    item                     VARCHAR(100) NOT NULL,
    current_value            TEXT,
    correct_value            TEXT,
    description              TEXT,
    evidence                 TEXT,
    provider_department_code VARCHAR(100) NOT NULL,
    region_code              VARCHAR(12)  NOT NULL,
    status                   VARCHAR(20)  NOT NULL
        CHECK (status IN ('OPEN', 'CORRECTED', 'SUPPLEMENTED', 'NOT_CORRECTED')),
    received_on              DATE         NOT NULL,
    due_on                   DATE         NOT NULL,
    due_working_days         INT,
    escalated                BOOLEAN      NOT NULL DEFAULT FALSE,
    answer_reason            TEXT,
    legal_basis              TEXT,
    explanation              TEXT,
    answered_at              TIMESTAMPTZ,
    created_at               TIMESTAMPTZ  NOT NULL,
    CHECK (correct_value IS NOT NULL OR description IS NOT NULL)
);
CREATE INDEX correction_subject ON correction (subject_hash, id);
CREATE INDEX correction_provider ON correction (provider_department_code, id);
CREATE INDEX correction_region ON correction (region_code, id);
CREATE INDEX correction_open_due ON correction (due_on) WHERE status = 'OPEN';

-- corrections have a history like the other workflows
ALTER TABLE state_change DROP CONSTRAINT state_change_object_type_check;
ALTER TABLE state_change ADD CONSTRAINT state_change_object_type_check
    CHECK (object_type IN ('REQUEST', 'GRANT', 'DISPUTE', 'OBJECTION', 'COMPLAINT', 'INCIDENT', 'CORRECTION'));
