-- 数据安全事件 (R20, 条例第三十四条、第三十五条): a department (provider or consumer of the data) or the 主管部门
-- reports a security incident concerning shared data (leak, misuse, tampering, unavailability). The 主管部门 may
-- suspend the grants concerned, require a rectification report within working days from the responsible department,
-- and closes the incident with a conclusion. Severity follows the grade of the data (数据分级).
CREATE TABLE security_incident (
    id                          BIGSERIAL PRIMARY KEY,
    version                     INT          NOT NULL DEFAULT 0,
    incident_type               VARCHAR(20)  NOT NULL
        CHECK (incident_type IN ('LEAK', 'MISUSE', 'TAMPERING', 'UNAVAILABILITY')),
    resource_code               VARCHAR(100) NOT NULL,
    provider_department_code    VARCHAR(100) NOT NULL,
    data_grade                  VARCHAR(20),
    severity                    VARCHAR(20)  NOT NULL
        CHECK (severity IN ('GENERAL', 'SERIOUS', 'MAJOR', 'EXTRAORDINARY')),
    -- the grants concerned (known at reporting or added when suspended) and the departments that may read it
    grant_ids                   BIGINT[]     NOT NULL DEFAULT '{}',
    party_departments           VARCHAR(100)[] NOT NULL,
    reporter_department_code    VARCHAR(100) NOT NULL,
    reporter_sub                VARCHAR(200) NOT NULL,
    reporter_role               VARCHAR(20)  NOT NULL,
    discovered_at               TIMESTAMPTZ  NOT NULL,
    description                 TEXT         NOT NULL,
    measures_taken              TEXT         NOT NULL,
    status                      VARCHAR(20)  NOT NULL
        CHECK (status IN ('REPORTED', 'RECTIFYING', 'RECTIFIED', 'CLOSED')),
    suspended_grant_ids         BIGINT[]     NOT NULL DEFAULT '{}',
    responsible_department_code VARCHAR(100),
    rectification_requirement   TEXT,
    rectification_due_on        DATE,
    rectification_report        TEXT,
    rectified_at                TIMESTAMPTZ,
    conclusion                  TEXT,
    closed_at                   TIMESTAMPTZ,
    reported_at                 TIMESTAMPTZ  NOT NULL
);
CREATE INDEX security_incident_parties ON security_incident USING GIN (party_departments);
CREATE INDEX security_incident_rectifying_due ON security_incident (rectification_due_on) WHERE status = 'RECTIFYING';

-- incidents have a history like the other workflows
ALTER TABLE state_change DROP CONSTRAINT state_change_object_type_check;
ALTER TABLE state_change ADD CONSTRAINT state_change_object_type_check
    CHECK (object_type IN ('REQUEST', 'GRANT', 'DISPUTE', 'OBJECTION', 'COMPLAINT', 'INCIDENT'));
