-- Bulk export jobs (CSV / JSON Lines) with a signed manifest.
CREATE TABLE export_job (
    id                       BIGSERIAL PRIMARY KEY,
    grant_id                 BIGINT       NOT NULL,
    consumer_department_code VARCHAR(18)  NOT NULL,
    requested_by             VARCHAR(200) NOT NULL,
    format                   VARCHAR(10)  NOT NULL,
    status                   VARCHAR(20)  NOT NULL,
    record_count             INT,
    content                  BYTEA,
    subject_hashes           TEXT[],
    manifest                 TEXT,
    manifest_seal            TEXT,
    failure                  TEXT,
    created_at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at              TIMESTAMPTZ
);
CREATE INDEX export_job_consumer ON export_job (consumer_department_code, id);
