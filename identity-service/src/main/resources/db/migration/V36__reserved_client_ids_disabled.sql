-- Client ids starting with onenet- are refused at registration: the suite's APIs are named so (the audiences
-- onenet-identity, onenet-catalog, onenet-exchange), and an ID token's aud is its client's id, so such a client would
-- receive, at each user's sign-in, ID tokens addressed to one of the suite's APIs. A client registered under such a
-- name before the rule is disabled here as an administrator's disabling does it (ClientService.setEnabled): the row
-- disabled with its version bumped, its users' grants (so their refresh and access tokens) and its current
-- client-credentials grant revoked ('client_disabled', so their tokens go on the revocation list), and a
-- CLIENT_DISABLED audit row by 'migration V36' saying why. The suite's own system clients (identity.system-clients,
-- given to Flyway as the placeholder system_clients) are left as they are. The API refuses to enable such a client
-- again: register the application under another id.
WITH reserved AS (
    SELECT c.client_id FROM oauth_client c
    WHERE c.enabled AND c.client_id LIKE 'onenet-%'
      AND c.client_id <> ALL (SELECT btrim(s) FROM unnest(string_to_array('${system_clients}', ',')) AS t(s))
), disabled AS (
    UPDATE oauth_client c SET enabled = false, updated_at = now(), version = c.version + 1
    FROM reserved r WHERE c.client_id = r.client_id
    RETURNING c.client_id
), user_grants AS (
    UPDATE token_grant g SET revoked_at = now(), revoke_reason = 'client_disabled'
    FROM disabled d WHERE g.client_id = d.client_id AND g.revoked_at IS NULL
    RETURNING g.client_id
), client_grants AS (
    UPDATE client_credentials_grant g SET revoked_at = now(), revoke_reason = 'client_disabled'
    FROM disabled d WHERE g.client_id = d.client_id AND g.revoked_at IS NULL
    RETURNING g.client_id
)
INSERT INTO audit_event (at, event_type, outcome, actor, subject, client_id, detail)
SELECT now(), 'CLIENT_DISABLED', 'SUCCESS', 'migration V36', d.client_id, d.client_id,
       'grants revoked: ' || (SELECT count(*) FROM user_grants u WHERE u.client_id = d.client_id)
           || ', client-credentials grant revoked: ' || (SELECT count(*) FROM client_grants k WHERE k.client_id = d.client_id)
           || '; the client id starts with onenet-, the prefix reserved for the suite''s APIs (audiences such as '
           || 'onenet-exchange): its ID tokens could be addressed to one of them. Register the application under '
           || 'another id'
FROM disabled d;
