-- Bulk exports are written and sent in parts (at most exchange.export.part-records records each), so neither the
-- job nor a download holds more than one part in memory. Each part keeps the hashes of its own subjects for the
-- usage-log entry written when that part is downloaded. Files written before this migration stay whole in
-- export_job.content (parts is null for them).
CREATE TABLE export_part (
    export_id      BIGINT  NOT NULL REFERENCES export_job (id),
    part           INT     NOT NULL CHECK (part >= 0),
    record_count   INT     NOT NULL,
    content        BYTEA   NOT NULL,
    subject_hashes TEXT[]  NOT NULL,
    PRIMARY KEY (export_id, part)
);
ALTER TABLE export_job ADD COLUMN parts INT;
