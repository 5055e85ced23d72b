-- The publishing reviewer's display name (token claim name, else preferred_username) as it was at publication, kept
-- beside the account id: the public versions API names the publishing body and the time, and only staff who review,
-- administer or audit the catalogue see this name; nobody sees the account id there.
ALTER TABLE entry_version ADD COLUMN published_by_name VARCHAR(200);

-- Versions published before this migration: the name recorded in the history step that published them (PUBLISH, or
-- RECLASSIFY, which publishes the reclassified copy as a new version), by the same account, the step nearest in time
-- to the publication. Steps recorded before V6, and steps by department systems, have no name: those stay null.
UPDATE entry_version v
SET published_by_name = (
    SELECT ev.actor_name
    FROM entry_event ev
    WHERE ev.entry_id = v.entry_id
      AND ev.actor = v.published_by
      AND ev.action IN ('PUBLISH', 'RECLASSIFY')
    ORDER BY abs(extract(epoch FROM ev.at - v.published_at)), ev.id
    LIMIT 1);
