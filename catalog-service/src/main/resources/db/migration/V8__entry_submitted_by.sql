-- The account that last put the entry into review: its submission (报送审核) or its deregistration request. Nobody
-- decides on what they submitted themselves (four-eyes principle). Entries submitted before this migration take it
-- from their history: the actor of their latest SUBMIT or REQUEST_DEREGISTRATION step.
ALTER TABLE catalog_entry ADD COLUMN submitted_by VARCHAR(100);
UPDATE catalog_entry e SET submitted_by = (SELECT ev.actor FROM entry_event ev WHERE ev.entry_id = e.id
        AND ev.action IN ('SUBMIT', 'REQUEST_DEREGISTRATION') ORDER BY ev.id DESC LIMIT 1);
