-- The entry's GB/T 2260 region code, copied from its draft like provider_code: reviewers work on the entries of
-- their own region (R5, 条例 Art. 16: the catalogue is reviewed by the 主管部门 of the same level).
ALTER TABLE catalog_entry ADD COLUMN region_code VARCHAR(6);
UPDATE catalog_entry SET region_code = draft ->> 'regionCode';
ALTER TABLE catalog_entry ALTER COLUMN region_code SET NOT NULL;
CREATE INDEX catalog_entry_region ON catalog_entry (region_code);
