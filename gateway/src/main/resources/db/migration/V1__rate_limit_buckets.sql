-- Shared token buckets (gateway.rate-limit.store=postgresql): one row per client and API, written by Bucket4j's
-- select-for-update proxy manager from every gateway replica. expires_at (epoch ms) marks rows whose bucket has
-- refilled completely; the gateway deletes those now and then.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(512) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
