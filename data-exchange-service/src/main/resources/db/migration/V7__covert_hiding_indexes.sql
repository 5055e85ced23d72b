-- Auditors list covert hidings newest first, by department and by the days they were recorded.
CREATE INDEX covert_hiding_created ON covert_hiding (created_at, log_seq);
CREATE INDEX covert_hiding_department ON covert_hiding (department, created_at);
