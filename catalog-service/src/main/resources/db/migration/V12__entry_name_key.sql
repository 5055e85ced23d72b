-- A department's entries are told apart by name and classification: the spreadsheet import matches the rows of a
-- sheet without resource codes to entries by that pair. name_key is the name as it is compared (NFKC-folded and
-- stripped of white space, U+3000 included: the service writes it the same way, Codes.normalize), and a unique index
-- keeps one current (not deregistered) entry per department, classification and name_key.
ALTER TABLE catalog_entry ADD COLUMN name_key VARCHAR(200);
UPDATE catalog_entry SET name_key = regexp_replace(normalize(name, NFKC), '^\s+|\s+$', '', 'g');
ALTER TABLE catalog_entry ALTER COLUMN name_key SET NOT NULL;

-- Entries registered twice before this rule are kept as they are (published entries are in the feed and may be
-- granted): each later one names the first in duplicate_of and stays outside the index until it is renamed. The
-- service still refuses a new entry of that name, and the import reports a row matching several as ambiguous.
ALTER TABLE catalog_entry ADD COLUMN duplicate_of BIGINT;
UPDATE catalog_entry d SET duplicate_of = (
    SELECT min(f.id) FROM catalog_entry f
    WHERE f.provider_code = d.provider_code AND f.classification_code = d.classification_code
      AND f.name_key = d.name_key AND f.state <> 'DEREGISTERED' AND f.id < d.id)
WHERE d.state <> 'DEREGISTERED';

CREATE UNIQUE INDEX catalog_entry_department_name ON catalog_entry (provider_code, classification_code, name_key)
    WHERE state <> 'DEREGISTERED' AND duplicate_of IS NULL;
