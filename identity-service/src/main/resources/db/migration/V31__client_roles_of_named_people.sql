-- Administration and audit belong to named people (三员分立, 双人复核): a client, registered by one administrator in one
-- step, holds neither admin nor auditor, nor both catalog-editor and reviewer (编审分离, as for accounts). A client
-- holding them loses them here, with an audit row by 'migration V31' the auditors read; a client that both edits
-- and reviews loses reviewer, so it keeps drafting and a person approves. Re-running this changes nothing more.
WITH reduced AS (
    SELECT c.client_id, c.roles AS before,
           array_to_string(ARRAY(
               SELECT t.role FROM unnest(string_to_array(c.roles, ' ')) WITH ORDINALITY AS t(role, n)
               WHERE t.role NOT IN ('admin', 'auditor')
                 AND NOT (t.role = 'reviewer' AND 'catalog-editor' = ANY (string_to_array(c.roles, ' ')))
               ORDER BY t.n), ' ') AS after
    FROM oauth_client c
), changed AS (
    UPDATE oauth_client c SET roles = r.after, updated_at = now(), version = c.version + 1
    FROM reduced r
    WHERE c.client_id = r.client_id AND r.after <> r.before
    RETURNING c.client_id, r.before, r.after
)
INSERT INTO audit_event (at, event_type, outcome, actor, subject, client_id, detail)
SELECT now(), 'CLIENT_UPDATED', 'SUCCESS', 'migration V31', client_id, client_id,
       'roles "' || before || '" reduced to "' || after || '": admin and auditor are roles of named people, and a '
           || 'client does not both draft (catalog-editor) and review'
FROM changed;
