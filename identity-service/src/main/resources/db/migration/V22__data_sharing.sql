-- First-party (government) applications receive a citizen's claims without a consent page. Each receipt is recorded
-- here, so the holder sees them beside the consents they gave ("由政府部门应用获取 (无需同意)"), with the scopes
-- received, and can sign out of the application.
CREATE TABLE data_sharing (
    account_id        UUID         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    client_id         VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    scope             VARCHAR(500) NOT NULL,                  -- every scope received so far, space separated
    first_received_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_received_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    times             INT          NOT NULL DEFAULT 1,
    PRIMARY KEY (account_id, client_id)
);
