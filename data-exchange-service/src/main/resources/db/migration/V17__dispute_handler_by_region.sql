-- R17 (条例第二十八条): the configured 主管部门 is the handler of a dispute only when the dispute is routed to its
-- region; a dispute routed to another region has no handler department (the exchange has no department register to
-- name that region's 主管部门; its reviewers list the dispute by region_code).
ALTER TABLE dispute ALTER COLUMN handler_department_code DROP NOT NULL;

-- Disputes opened before V13 have no region. They were assigned to the configured 主管部门 of the time, whose
-- 统一社会信用代码 is on the row: characters 3-8 are its region (the same rule as Regions.ofCreditCode).
UPDATE dispute SET region_code = substring(handler_department_code FROM 3 FOR 6)
 WHERE region_code IS NULL
   AND length(handler_department_code) = 18
   AND substring(handler_department_code FROM 3 FOR 6) ~ '^[0-9]{6}$';

-- Disputes opened since V13 but routed to a region other than the handler's: the handler named was not theirs.
-- region_code is 6, 9 or 12 digits; it is the handler's region when it starts with those 6 digits and the rest are 0.
UPDATE dispute SET handler_department_code = NULL
 WHERE region_code IS NOT NULL
   AND handler_department_code IS NOT NULL
   AND NOT (left(region_code, 6) = substring(handler_department_code FROM 3 FOR 6)
            AND substring(region_code FROM 7) ~ '^0*$');
