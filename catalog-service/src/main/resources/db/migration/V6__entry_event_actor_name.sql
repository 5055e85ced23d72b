-- The actor's display name (token claim name, else preferred_username) beside its account id, as it was when the
-- step was recorded. Rows written before this migration, and steps by department systems, have none.
ALTER TABLE entry_event ADD COLUMN actor_name VARCHAR(200);
