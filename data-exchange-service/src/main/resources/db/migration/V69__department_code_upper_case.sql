-- A department's 统一社会信用代码 is one code in either letter case, kept as identity-service's register keeps it and its
-- tokens carry it (the dept claim): stripped and in upper case. catalog-service's V14 brought its entries and its change
-- feed to that form, but the exchange's copy of an entry applied before then keeps the provider's code as it came,
-- perhaps in lower case, and so do the requests, grants, notices and cases filed on it: the provider's own staff would
-- not match their entries, grants and requests. The exchange now folds every code it accepts (feed, token, path, query,
-- body, configuration); this brings what it stored to the same form.
--
-- Left as recorded: the usage log (hash-chained and signed: a rewritten row would break the chain; its readers compare
-- codes in upper case, by the index below), the state history (state_change), usage records (usage_record, each one
-- a usage-log entry with its digest) and the witnesses' history (usage_log_witness_change), all append-only evidence,
-- and the signed manifests of export jobs. The department register's copy and the witness tables only ever held the
-- upper-case form (codes of another form were dropped or refused there), so their unique keys meet no duplicate.

CREATE FUNCTION pg_temp.department_code(code TEXT) RETURNS TEXT AS $$
    SELECT upper(regexp_replace(normalize(code, NFKC), '^\s+|\s+$', '', 'g'))
$$ LANGUAGE sql IMMUTABLE;

-- Each column holding one department's code, where it is stored in another form.
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN SELECT * FROM (VALUES
            ('catalog_entry', 'provider_department_code'),
            ('share_request', 'provider_department_code'), ('share_request', 'consumer_department_code'),
            ('share_grant', 'provider_department_code'), ('share_grant', 'consumer_department_code'),
            ('notice', 'department_code'),
            ('dispute', 'provider_department_code'), ('dispute', 'consumer_department_code'),
            ('dispute', 'handler_department_code'),
            ('objection', 'provider_department_code'), ('objection', 'consumer_department_code'),
            ('complaint', 'provider_department_code'), ('complaint', 'consumer_department_code'),
            ('correction', 'provider_department_code'),
            ('dataset_stale_notice', 'provider_department_code'),
            ('webhook_subscription', 'consumer_department_code'),
            ('export_job', 'consumer_department_code'),
            ('covert_hiding', 'department')) AS t(tab, col)
    LOOP
        EXECUTE format('UPDATE %I SET %I = pg_temp.department_code(%I) WHERE %I <> pg_temp.department_code(%I)',
                       c.tab, c.col, c.col, c.col, c.col);
    END LOOP;
END $$;

-- An incident's parties: a department named twice, once in each case, is one party, named once (first place kept).
UPDATE security_incident i SET
    provider_department_code = pg_temp.department_code(i.provider_department_code),
    reporter_department_code = pg_temp.department_code(i.reporter_department_code),
    responsible_department_code = pg_temp.department_code(i.responsible_department_code),
    party_departments = (SELECT array_agg(p.code ORDER BY p.first)
                         FROM (SELECT pg_temp.department_code(d) AS code, min(n) AS first
                               FROM unnest(i.party_departments) WITH ORDINALITY AS u(d, n)
                               GROUP BY pg_temp.department_code(d)) p)
WHERE i.provider_department_code <> pg_temp.department_code(i.provider_department_code)
   OR i.reporter_department_code <> pg_temp.department_code(i.reporter_department_code)
   OR i.responsible_department_code <> pg_temp.department_code(i.responsible_department_code)
   OR EXISTS (SELECT 1 FROM unnest(i.party_departments) d WHERE d <> pg_temp.department_code(d));

-- Seal keys: a department that got a key under each spelling of its code has two active keys once they are one
-- department. The newest stays active and signs from now on; the others are retired as by a rotation (still
-- published, so what they sealed stays verifiable; the seal's dept header is compared in any letter case).
UPDATE seal_key SET department_code = pg_temp.department_code(department_code)
WHERE department_code <> pg_temp.department_code(department_code);

UPDATE seal_key k SET active = FALSE
FROM (SELECT kid, row_number() OVER (PARTITION BY department_code ORDER BY created_at DESC, kid DESC) AS n
      FROM seal_key WHERE active) a
WHERE k.kid = a.kid AND a.n > 1;

-- The provider's view of the usage log compares the recorded code in upper case.
CREATE INDEX usage_log_provider_upper ON usage_log (upper(provider_department_code), seq);
DROP INDEX usage_log_provider;
