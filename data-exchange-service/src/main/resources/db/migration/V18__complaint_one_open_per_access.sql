-- R21 (条例第三十七条): one complaint under handling (OPEN or ANSWERED) per data subject and usage-log entry. The
-- service checks before filing; this index also holds when two filings about the same access race (the second
-- answers 409). A decided complaint (UPHELD, DISMISSED) does not stop a new one.
CREATE UNIQUE INDEX complaint_one_open_per_access ON complaint (subject_hash, usage_log_seq)
    WHERE status IN ('OPEN', 'ANSWERED');
