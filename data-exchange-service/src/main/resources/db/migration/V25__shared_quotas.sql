-- Per-grant quotas held for the grant as a whole, whichever replica a call reaches (exchange.quota.store=postgresql).
-- The per-second token bucket of each grant: the table shape Bucket4j's PostgreSQL select-for-update proxy manager
-- reads and writes (id = the grant's id, state = the bucket as Bucket4j serialises it, its configuration included).
CREATE TABLE quota_bucket (
    id    BIGINT PRIMARY KEY,
    state BYTEA
);

-- The calls each grant was let through on its current calendar day in Beijing time (Asia/Shanghai); the first count
-- of a later day starts again from 0, and a quota change compares the same count with the new quota. granted: how
-- many of the calls the last count asked for it let through (a replica counts the waiting calls of a busy grant
-- together).
CREATE TABLE quota_day (
    grant_id BIGINT PRIMARY KEY,
    day      DATE    NOT NULL,
    calls    INTEGER NOT NULL,
    granted  INTEGER NOT NULL
);
