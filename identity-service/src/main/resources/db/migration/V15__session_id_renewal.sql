-- A re-authentication in a live SSO session (prompt=login, max_age, step-up, acting for an enterprise) gives the
-- session a new cookie and so a new id (the cookie's SHA-256); the clients that received tokens in it follow.
ALTER TABLE session_client DROP CONSTRAINT session_client_session_id_fkey;
ALTER TABLE session_client ADD CONSTRAINT session_client_session_id_fkey
    FOREIGN KEY (session_id) REFERENCES sso_session (id) ON DELETE CASCADE ON UPDATE CASCADE;
