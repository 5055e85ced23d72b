-- A client's client-credentials tokens belong to no user grant and were recorded nowhere, so nothing could end them
-- before their exp. Each client now has one current client-credentials grant; its tokens' jti starts with the grant's
-- id, as a user token's does, so revoking it (department deactivated, client disabled) puts them on the revocation
-- list the gateway and the services refuse by, and a new grant is started at the client's next token request.
CREATE TABLE client_credentials_grant (
    id             UUID         PRIMARY KEY,
    client_id      VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at     TIMESTAMPTZ,
    revoke_reason  VARCHAR(64)
);
-- at most one current grant per client
CREATE UNIQUE INDEX client_credentials_grant_current_idx ON client_credentials_grant (client_id)
    WHERE revoked_at IS NULL;
-- the revocation list reads the recently revoked ones
CREATE INDEX client_credentials_grant_revoked_idx ON client_credentials_grant (revoked_at)
    WHERE revoked_at IS NOT NULL;
