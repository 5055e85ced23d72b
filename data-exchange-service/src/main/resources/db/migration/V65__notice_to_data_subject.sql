-- A citizen or an enterprise that filed a correction request (PIPL 第四十六条) or a complaint (R21) is told of each
-- change of it (answered, escalated as overdue, decided) in its own inbox: a notice addressed to the data subject, by
-- the same HMAC hash of the ID number or credit code that the request keeps (subject_hash), never the number itself.
-- Such a notice has neither a department nor a region: no staff inbox lists it, and a department's or region's notice
-- is never a person's. Read state is per account (notice_read.reader, the token subject), as for staff.
ALTER TABLE notice ADD COLUMN subject_hash VARCHAR(64);
ALTER TABLE notice DROP CONSTRAINT notice_addressee;
ALTER TABLE notice ADD CONSTRAINT notice_addressee CHECK (
    (subject_hash IS NULL AND (department_code IS NOT NULL OR region_code IS NOT NULL))
    OR (subject_hash IS NOT NULL AND department_code IS NULL AND region_code IS NULL));
CREATE INDEX notice_data_subject ON notice (subject_hash, id) WHERE subject_hash IS NOT NULL;
