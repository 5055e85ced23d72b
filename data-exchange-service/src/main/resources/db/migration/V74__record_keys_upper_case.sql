-- Hosted records whose catalogue key item is 公民身份号码 or 统一社会信用代码 are kept under the key in upper case
-- (DatasetService folds it at every upload since this version; lookups, query filters and objections fold it too).
-- Records stored before under another spelling (a check character typed x, a credit code in lower case) are folded
-- here:
-- * a spelling with no upper-case twin: the record moves to the upper-case key, its data unchanged but the key item's
--   value in upper case;
-- * a spelling with a live upper-case twin (the same person or organisation stored twice): the upper-case key keeps the
--   newer of them, the one written last (highest change_seq), again with the key item's value in upper case.
-- Every other spelling then ends as a deleted record that keeps its data (deleted = TRUE): nothing is lost, the feed
-- and webhooks (trigger dataset_record_webhooks) tell subscribers that the old spelling is gone and the upper-case
-- record changed, and what was set aside is listed by
--   SELECT resource_code, record_key, data FROM dataset_record WHERE deleted AND record_key <> upper(record_key);
-- Deleted records are left as they are.
DO $$
DECLARE
    k RECORD;
    newest RECORD;
BEGIN
    FOR k IN
        SELECT DISTINCT r.resource_code, upper(r.record_key) AS folded, e.key_item
          FROM dataset_record r
          JOIN catalog_entry e ON e.resource_code = r.resource_code
         WHERE NOT r.deleted
           AND r.record_key <> upper(r.record_key)
           AND e.key_item IS NOT NULL
           AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.items::jsonb) i
                        WHERE i ->> 'code' = e.key_item
                          AND btrim(i ->> 'name') IN ('公民身份号码', '统一社会信用代码'))
         ORDER BY 1, 2
    LOOP
        PERFORM pg_advisory_xact_lock(hashtext('dataset:' || k.resource_code));
        SELECT record_key, data INTO newest
          FROM dataset_record
         WHERE resource_code = k.resource_code AND upper(record_key) = k.folded AND NOT deleted
         ORDER BY change_seq DESC
         LIMIT 1;
        IF newest.record_key <> k.folded THEN
            INSERT INTO dataset_record (resource_code, record_key, data, record_version, change_seq)
            VALUES (k.resource_code, k.folded,
                    jsonb_set(newest.data::jsonb, ARRAY[k.key_item], to_jsonb(k.folded))::text, 1,
                    nextval('record_change_seq'))
            ON CONFLICT (resource_code, record_key) DO UPDATE SET data = EXCLUDED.data,
                record_version = dataset_record.record_version + 1, change_seq = EXCLUDED.change_seq,
                deleted = FALSE, updated_at = now();
        END IF;
        UPDATE dataset_record
           SET deleted = TRUE, record_version = record_version + 1, change_seq = nextval('record_change_seq'),
               updated_at = now()
         WHERE resource_code = k.resource_code AND upper(record_key) = k.folded AND record_key <> k.folded
           AND NOT deleted;
    END LOOP;
END $$;
