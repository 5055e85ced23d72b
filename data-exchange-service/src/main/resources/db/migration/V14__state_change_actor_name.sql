-- The actor's display name (token claim name, else preferred_username) beside its account id, as it was when the
-- change was made. Rows written before this migration, and by callers whose token carries no name (department
-- systems, the exchange's own jobs), have none.
ALTER TABLE state_change ADD COLUMN actor_name VARCHAR(200);
