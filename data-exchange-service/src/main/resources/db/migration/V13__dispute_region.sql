-- R17 (条例第二十八条): a dispute is routed to the 主管部门 of the lowest region containing both departments (county
-- level or above; 000000 above two provinces), and escalates to the people's government of that same region. The
-- consumer's and the provider's regions as found when the dispute was opened, and where each came from. Disputes
-- opened before this migration have no region: only admins act on them.
ALTER TABLE dispute ADD COLUMN region_code VARCHAR(12);
ALTER TABLE dispute ADD COLUMN consumer_region_code VARCHAR(12);
ALTER TABLE dispute ADD COLUMN provider_region_code VARCHAR(12);
CREATE INDEX dispute_region ON dispute (region_code, id);
