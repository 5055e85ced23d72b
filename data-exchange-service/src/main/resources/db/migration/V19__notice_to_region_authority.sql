-- R17 (条例第二十八条): a dispute routed to a region other than the configured 主管部门's must still reach that
-- region's 主管部门. The exchange has no department register to name it, so such a notice is addressed to the region
-- (region_code, 6 digits) instead of a department; the reviewers of that region (token claim region) read it.
ALTER TABLE notice ALTER COLUMN department_code DROP NOT NULL;
ALTER TABLE notice ADD COLUMN region_code VARCHAR(6);
ALTER TABLE notice ADD CONSTRAINT notice_addressee CHECK (department_code IS NOT NULL OR region_code IS NOT NULL);
CREATE INDEX notice_region ON notice (region_code, id) WHERE region_code IS NOT NULL;
