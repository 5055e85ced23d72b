-- Notices read, per reader: the account (token subject) that marked the notice read. A notice without a row for a
-- reader is unread for that reader; marking again keeps the first read_at. Rows are only added.
CREATE TABLE notice_read (
    notice_id BIGINT       NOT NULL REFERENCES notice (id),
    reader    VARCHAR(200) NOT NULL,
    read_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (reader, notice_id)
);
