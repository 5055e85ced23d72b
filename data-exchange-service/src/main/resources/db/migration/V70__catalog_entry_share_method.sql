-- 共享方式 (条例第十三条第二款、第二十二条): the catalogue feed carries each entry's share method; the replica keeps its
-- type (API, FILE, DATABASE), which limits the delivery methods a request may ask for (ShareMethods). Null: the entry
-- states none (不予共享), or it was replicated before this column existed; such an entry restricts nothing.
ALTER TABLE catalog_entry ADD COLUMN share_method_type VARCHAR(20);

-- Entries replicated before this column existed get their type from a second read of the feed up to where the replica
-- stands (ReplicaBackfill, as V58 did for the update cycle): only the type of the version the replica holds is
-- written, nothing else is applied again. A database whose replica has read nothing yet needs no such read.
INSERT INTO feed_cursor (name, position, updated_at)
SELECT 'catalog-feed-share-method', 0, now()
WHERE EXISTS (SELECT 1 FROM feed_cursor WHERE name = 'catalog-feed' AND position > 0)
ON CONFLICT (name) DO NOTHING;
