-- The day an entry was registered (登记日期, Beijing date). Until now it was the day the entry was created; a
-- catalogue migrated from another system keeps the day each entry was first registered there, given in the
-- spreadsheet import by an admin. The dates of the entry's later steps (a change's triggeredOn, an assessment's
-- assessedOn) may not lie before it.
ALTER TABLE catalog_entry ADD COLUMN registered_on DATE;
UPDATE catalog_entry SET registered_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date;
ALTER TABLE catalog_entry ALTER COLUMN registered_on SET NOT NULL;
