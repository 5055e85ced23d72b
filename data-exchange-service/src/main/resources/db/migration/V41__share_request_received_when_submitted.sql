-- A share request is received by the provider when it is submitted to it (filed by a head, or approved by the head of
-- the requesting department), not when an operator files it for its head: until then received_on is null. Requests
-- that never reached the provider (awaiting, returned by, or withdrawn before their head: no approver) lose the day
-- of filing they were given; every request a head approved keeps its day.
ALTER TABLE share_request ALTER COLUMN received_on DROP NOT NULL;
UPDATE share_request SET received_on = NULL WHERE office_head_approver IS NULL;
ALTER TABLE share_request ADD CONSTRAINT share_request_received_when_approved CHECK (received_on IS NOT NULL
    OR office_head_approver IS NULL);
