-- The working-day calendar is the catalogue's (catalog-service, /api/catalog/v1/calendar, edited by admins in the
-- console); calendar_day now holds this service's copy of it, shared by every replica and kept across restarts and
-- catalogue outages. One row describes the copy: the catalogue's calendar generation it was taken at (null: the
-- seed shipped with the service, before the catalogue first answered), a revision bumped by every change of the
-- copy (each replica reloads its in-memory calendar when it moves), when the copy last changed and when the
-- catalogue last answered a check.
CREATE TABLE calendar_sync (
    name        VARCHAR(20) PRIMARY KEY,
    generation  BIGINT,
    revision    BIGINT      NOT NULL,
    synced_at   TIMESTAMPTZ,
    checked_at  TIMESTAMPTZ
);
INSERT INTO calendar_sync (name, generation, revision) VALUES ('catalog', NULL, 1);
