-- Reclassification (目录重新分类): catalog-service gives a published entry a new resource code and announces it in the
-- feed (entry.previousResourceCode). The exchange moves the entry's live state to the new code and keeps the old code
-- as an alias, so callers that still use it reach the same resource. One row per code that moved; written when the
-- feed item is applied, in the transaction of the move. History (usage_log, state_change) keeps the code it was
-- written with.
CREATE TABLE resource_code_alias (
    old_code      VARCHAR(100) PRIMARY KEY,
    -- the code the catalogue gave the entry in place of old_code
    new_code      VARCHAR(100) NOT NULL,
    -- where old_code resolves now: new_code, or the code of a later reclassification (A → B → C: A resolves to C)
    current_code  VARCHAR(100) NOT NULL,
    feed_cursor   BIGINT       NOT NULL,
    entry_version INT          NOT NULL,
    -- the new code was already a separate entry of the replica and the old one was merged into it
    merged        BOOLEAN      NOT NULL,
    -- JSON object: rows moved per table
    moved_rows    TEXT         NOT NULL,
    moved_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX resource_code_alias_current ON resource_code_alias (current_code);

-- Moving a dataset's records to the new code changes no record (change_seq stays): no webhook events for it.
CREATE OR REPLACE FUNCTION webhook_fan_out() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.change_seq = OLD.change_seq THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_outbox (subscription_id, event_id, change_seq, record_key, deleted, data)
    SELECT s.id, gen_random_uuid(), NEW.change_seq, NEW.record_key, NEW.deleted, NEW.data
      FROM webhook_subscription s
     WHERE s.resource_code = NEW.resource_code AND s.status IN ('ACTIVE', 'FAILING');
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- A move, once recorded, stays as it was: only current_code follows later moves; no row is deleted.
CREATE FUNCTION resource_code_alias_keeps_moves() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.old_code = OLD.old_code AND NEW.new_code = OLD.new_code
            AND NEW.feed_cursor = OLD.feed_cursor AND NEW.entry_version = OLD.entry_version
            AND NEW.merged = OLD.merged AND NEW.moved_rows = OLD.moved_rows AND NEW.moved_at = OLD.moved_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'resource_code_alias keeps its moves: only current_code changes';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER resource_code_alias_kept BEFORE UPDATE OR DELETE ON resource_code_alias
    FOR EACH ROW EXECUTE FUNCTION resource_code_alias_keeps_moves();
CREATE TRIGGER resource_code_alias_not_truncated BEFORE TRUNCATE ON resource_code_alias
    FOR EACH STATEMENT EXECUTE FUNCTION resource_code_alias_keeps_moves();
