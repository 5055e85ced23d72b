-- An authorization request POSTed from another site arrives without the SameSite=Lax session cookie. It is kept here
-- briefly as a POSTED request and the browser is sent (303) to a same-site GET /oidc/authorize?req=<id>, which does
-- carry the cookie; that GET takes the request out (once) and answers it with the session.
ALTER TABLE pending_authorization DROP CONSTRAINT IF EXISTS pending_authorization_page_check;
ALTER TABLE pending_authorization ADD CONSTRAINT pending_authorization_page_check
    CHECK (page IN ('LOGIN', 'CONSENT', 'POSTED'));
COMMENT ON COLUMN pending_authorization.page IS
    'LOGIN or CONSENT: the page the request is waiting at; POSTED: a cross-site POST waiting for its same-site GET';
