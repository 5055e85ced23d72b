-- Every state change of share requests, grants, disputes and objections: who (subject, client, department, the role
-- acted in), when, from which status to which, the action, the reason / opinion and legal basis as given, and the
-- X-Request-Id of the call. Written in the transaction of the change; append-only (never updated or deleted, kept
-- like the usage log for at least 3 years).
CREATE TABLE state_change (
    id               BIGSERIAL    PRIMARY KEY,
    object_type      VARCHAR(20)  NOT NULL CHECK (object_type IN ('REQUEST', 'GRANT', 'DISPUTE', 'OBJECTION')),
    object_id        BIGINT       NOT NULL,
    share_request_id BIGINT,
    action           VARCHAR(40)  NOT NULL,
    from_status      VARCHAR(30),
    to_status        VARCHAR(30)  NOT NULL,
    actor_subject    VARCHAR(200) NOT NULL,
    actor_client_id  VARCHAR(200),
    actor_department VARCHAR(100),
    actor_role       VARCHAR(30)  NOT NULL,
    automatic        BOOLEAN      NOT NULL,
    decision         BOOLEAN      NOT NULL,
    reason           TEXT,
    legal_basis      TEXT,
    details          TEXT,
    request_id       VARCHAR(128),
    changed_at       TIMESTAMPTZ  NOT NULL
);
CREATE INDEX state_change_object ON state_change (object_type, object_id, id);

CREATE FUNCTION state_change_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'state_change is append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER state_change_no_update BEFORE UPDATE OR DELETE ON state_change
    FOR EACH ROW EXECUTE FUNCTION state_change_append_only();
CREATE TRIGGER state_change_no_truncate BEFORE TRUNCATE ON state_change
    FOR EACH STATEMENT EXECUTE FUNCTION state_change_append_only();
