-- The region whose 主管部门 acts on a share request or grant (R17, 条例第二十八条), stored so that a reviewer's lists are
-- filtered, counted and paged in the database: the lowest region, at county level or above, containing the consumer's
-- side (the region recorded at filing, else the one in its 统一社会信用代码) and the provider's side (the entry's
-- region_code, else the one in its 统一社会信用代码), as a 6-digit code (000000 for two provinces). NULL when a side has
-- no region: the configured 主管部门's region applies, read from the configuration when a list is read, so changing
-- exchange.competent-authority-department rewrites nothing. The exchange keeps the column up to date when an entry's
-- region changes or a resource moves to a new code (AuthorityRegions); the rule is Jurisdiction.commonRegion.
ALTER TABLE share_request ADD COLUMN authority_region VARCHAR(6);
ALTER TABLE share_grant ADD COLUMN authority_region VARCHAR(6);

-- The backfill applies the same rule. A side's region, padded with zeros to 12 digits: the given region when it is a
-- GB/T 2260 code of 6, 9 or 12 digits, else characters 3–8 of the 18-character credit code when they are 6 digits.
CREATE FUNCTION pg_temp.side_region(region TEXT, department TEXT) RETURNS TEXT LANGUAGE SQL IMMUTABLE AS $$
    SELECT CASE
        WHEN region ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$' THEN rpad(region, 12, '0')
        WHEN length(department) = 18 AND substr(department, 3, 6) ~ '^[0-9]{6}$'
            THEN rpad(substr(department, 3, 6), 12, '0')
    END
$$;

-- The lowest common region of two padded sides at county, city or province level (Regions.commonAuthority): a side
-- names a county or below when digits 5–12 are not all zero, a city or below when digits 3–12 are not all zero.
CREATE FUNCTION pg_temp.common_authority(a TEXT, b TEXT) RETURNS TEXT LANGUAGE SQL IMMUTABLE AS $$
    SELECT CASE
        WHEN a IS NULL OR b IS NULL THEN NULL
        WHEN substr(a, 5) <> '00000000' AND substr(b, 5) <> '00000000' AND left(a, 6) = left(b, 6) THEN left(a, 6)
        WHEN substr(a, 3) <> '0000000000' AND substr(b, 3) <> '0000000000' AND left(a, 4) = left(b, 4)
            THEN left(a, 4) || '00'
        WHEN left(a, 2) = left(b, 2) THEN left(a, 2) || '0000'
        ELSE '000000'
    END
$$;

UPDATE share_request r SET authority_region = pg_temp.common_authority(
        pg_temp.side_region(r.consumer_region_code, r.consumer_department_code),
        pg_temp.side_region((SELECT e.region_code FROM catalog_entry e WHERE e.resource_code = r.resource_code),
                r.provider_department_code));

UPDATE share_grant g SET authority_region = pg_temp.common_authority(
        pg_temp.side_region((SELECT r.consumer_region_code FROM share_request r WHERE r.id = g.request_id),
                g.consumer_department_code),
        pg_temp.side_region((SELECT e.region_code FROM catalog_entry e WHERE e.resource_code = g.resource_code),
                g.provider_department_code));

DROP FUNCTION pg_temp.common_authority(TEXT, TEXT);
DROP FUNCTION pg_temp.side_region(TEXT, TEXT);

-- A reviewer's lists: its region's rows, newest first.
CREATE INDEX share_request_authority_region ON share_request (authority_region, id);
CREATE INDEX share_grant_authority_region ON share_grant (authority_region, id);
-- An entry's requests, found again when its region changes (the grants have share_grant_resource).
CREATE INDEX share_request_resource ON share_request (resource_code);
