-- What the hosted dataset held when a correction request (PIPL 第四十六条) or a 校核 objection (条例第二十六条) was
-- filed, so that an answer "corrected" / "supplemented" can be checked against it: the provider must have uploaded the
-- changed record first. Kept as a digest (md5 of the jsonb text, which does not depend on key order or white space),
-- not as a second copy of the personal data:
--   correction.filed_value_digest: the item's value in the record keyed by the requester's identifier
--                                  ('null' digest when the record lacks the item);
--   objection.filed_record_digest: the whole record objected to.
-- 'NONE' when no such record was hosted at filing; NULL for cases filed before this migration (not captured: the
-- dataset keeps only a record's current data, so their answers cannot be checked).
-- Taken by triggers at insert, in the same statement, so the value is the one the filer saw, whatever the service
-- does at filing.

CREATE FUNCTION hosted_value_digest(resource TEXT, key TEXT, item TEXT) RETURNS TEXT
    LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT md5(CASE WHEN $3 IS NULL THEN r.data::jsonb
                                     ELSE coalesce(r.data::jsonb -> $3, 'null'::jsonb) END::text)
                     FROM dataset_record r
                     WHERE r.resource_code = $1 AND r.record_key = $2 AND NOT r.deleted), 'NONE')
$$;

ALTER TABLE correction ADD COLUMN filed_value_digest VARCHAR(32);
ALTER TABLE objection ADD COLUMN filed_record_digest VARCHAR(32);

CREATE FUNCTION correction_filed_value_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.filed_value_digest := hosted_value_digest(NEW.resource_code, upper(NEW.subject_identifier), NEW.item);
    RETURN NEW;
END
$$;
CREATE TRIGGER correction_filed_value_digest BEFORE INSERT ON correction
    FOR EACH ROW EXECUTE FUNCTION correction_filed_value_digest();

CREATE FUNCTION objection_filed_record_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.filed_record_digest := hosted_value_digest(NEW.resource_code, NEW.record_key, NULL);
    RETURN NEW;
END
$$;
CREATE TRIGGER objection_filed_record_digest BEFORE INSERT ON objection
    FOR EACH ROW EXECUTE FUNCTION objection_filed_record_digest();
