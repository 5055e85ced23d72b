-- A pending authorization request remembers which page it showed (the login or the consent page) and the SSO session
-- it was shown in. The consent form is accepted only for a request that showed the consent page to that same
-- session: the login page's hidden fields posted to /oidc/consent must not stand in for a login or a consent.
ALTER TABLE pending_authorization ADD COLUMN page VARCHAR(10) NOT NULL DEFAULT 'LOGIN'
    CHECK (page IN ('LOGIN', 'CONSENT'));
ALTER TABLE pending_authorization ALTER COLUMN page DROP DEFAULT;
ALTER TABLE pending_authorization ADD COLUMN session_id VARCHAR(64);
COMMENT ON COLUMN pending_authorization.page IS 'LOGIN or CONSENT: the page the request is waiting at';
COMMENT ON COLUMN pending_authorization.session_id IS 'sso_session.id the page was shown in (null: no session)';
