-- The end of an authorisation's period (valid_to) is acted on once: the scheduled step ends the agent's sign-ins for
-- the enterprise and records when it did so here. Delegations that ran out before this version are handled by its
-- first run.
ALTER TABLE delegation ADD COLUMN expiry_handled_at TIMESTAMPTZ;

-- what the step looks for: delegations in force whose end has not been acted on
CREATE INDEX delegation_expiry_due_idx ON delegation (valid_to) WHERE status = 'ACTIVE' AND expiry_handled_at IS NULL;
