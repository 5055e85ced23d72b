-- A hosted dataset is stale when its last upload is older than the entry's declared update cycle plus the grace
-- (exchange.staleness.grace). The provider department is told once per stale period: a period is keyed by the upload
-- it is counted from (also after the resource moved to a new code), so a new upload starts the next one, and replicas
-- and reruns insert the same row once.
CREATE TABLE dataset_stale_notice (
    resource_code            VARCHAR(100) NOT NULL,
    last_upload_id           BIGINT       PRIMARY KEY,
    provider_department_code VARCHAR(18)  NOT NULL,
    update_cycle             VARCHAR(20)  NOT NULL,
    last_upload_at           TIMESTAMPTZ  NOT NULL,
    stale_since              TIMESTAMPTZ  NOT NULL,
    notified_at              TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The latest upload of a dataset, read for every entry by the staleness monitor and the views.
CREATE INDEX dataset_upload_latest ON dataset_upload (resource_code, created_at DESC, id DESC);

-- Suspensions counted by the compliance report (state_change rows of grants by action and time).
CREATE INDEX state_change_action_time ON state_change (object_type, action, changed_at);
