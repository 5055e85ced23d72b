-- A department's 统一社会信用代码 is kept as identity-service's department register keeps it and its tokens carry it
-- (the dept claim): NFKC-folded, stripped and in upper case. The service now folds a code typed in lower case on input
-- (Codes.department); a code stored otherwise before would never equal the dept of the department's own editors and
-- heads, who would be refused their own entries. The entry's column and every JSON copy of its content (draft,
-- published copy, versions, the change feed's documents) are brought to that form. The history (entry_event) is
-- append-only evidence and keeps what was recorded; lock_version is kept, so exported sheets still import (the import
-- folds the code the same way).

CREATE FUNCTION pg_temp.department_code(code TEXT) RETURNS TEXT AS $$
    SELECT upper(regexp_replace(normalize(code, NFKC), '^\s+|\s+$', '', 'g'))
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION pg_temp.with_department_code(doc JSONB) RETURNS JSONB AS $$
    SELECT CASE WHEN jsonb_typeof(doc -> 'providerDepartmentCode') = 'string'
        THEN jsonb_set(doc, '{providerDepartmentCode}',
                       to_jsonb(pg_temp.department_code(doc ->> 'providerDepartmentCode')))
        ELSE doc END
$$ LANGUAGE sql IMMUTABLE;

-- Codes differing only in case are one department: entries that become one department's second current entry of a
-- name and classification are kept as V12 keeps such pairs (the later names the first in duplicate_of).
UPDATE catalog_entry d SET duplicate_of = g.first_id
FROM (SELECT e.id, min(e.id) OVER (PARTITION BY
             pg_temp.department_code(e.provider_code),
             e.classification_code, e.name_key) AS first_id
      FROM catalog_entry e WHERE e.state <> 'DEREGISTERED' AND e.duplicate_of IS NULL) g
WHERE d.id = g.id AND g.id <> g.first_id;

UPDATE catalog_entry SET provider_code = pg_temp.department_code(provider_code)
WHERE provider_code <> pg_temp.department_code(provider_code);

UPDATE catalog_entry SET draft = pg_temp.with_department_code(draft)
WHERE draft ->> 'providerDepartmentCode' <> pg_temp.department_code(draft ->> 'providerDepartmentCode');

UPDATE catalog_entry SET published = pg_temp.with_department_code(published)
WHERE published ->> 'providerDepartmentCode' <> pg_temp.department_code(published ->> 'providerDepartmentCode');

UPDATE entry_version SET content = pg_temp.with_department_code(content)
WHERE content ->> 'providerDepartmentCode' <> pg_temp.department_code(content ->> 'providerDepartmentCode');

UPDATE feed_event SET entry = pg_temp.with_department_code(entry)
WHERE entry ->> 'providerDepartmentCode' <> pg_temp.department_code(entry ->> 'providerDepartmentCode');
