-- 更新周期 (条例第十三条, R3): the catalogue feed carries each entry's declared update cycle (REAL_TIME, DAILY, WEEKLY,
-- MONTHLY, QUARTERLY, YEARLY; other values such as IRREGULAR or ON_DEMAND are kept as given and never judged). The
-- staleness monitor compares it with the provider's uploads (条例第十八条、第三十八条第二款).
ALTER TABLE catalog_entry ADD COLUMN update_cycle VARCHAR(20);

-- Entries replicated before this column existed get their cycle from a second read of the feed up to where the replica
-- stands (UpdateCycleBackfill): only the cycle of the version the replica holds is written, nothing else is applied
-- again. A database whose replica has read nothing yet needs no such read.
INSERT INTO feed_cursor (name, position, updated_at)
SELECT 'catalog-feed-update-cycle', 0, now()
WHERE EXISTS (SELECT 1 FROM feed_cursor WHERE name = 'catalog-feed' AND position > 0)
ON CONFLICT (name) DO NOTHING;
