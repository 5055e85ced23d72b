-- The working days a deadline counts after the day the matter was received, so that a change of the working-day
-- calendar (an admin entering a year's State Council notice) counts the deadline of an open matter again from the
-- same start. Null: not counted (a decided matter from before this column, or a date not counted by the calendar).
-- Open matters from before are given their rule's count: 10 working days to answer a request (with the days of an
-- approved extension), an objection or a complaint; the rule's 1 working day of a request granted at filing is not
-- needed (it was decided at once).
ALTER TABLE share_request ADD COLUMN due_working_days INT;
ALTER TABLE objection ADD COLUMN due_working_days INT;
ALTER TABLE complaint ADD COLUMN due_working_days INT;

UPDATE share_request SET due_working_days = 10 + CASE WHEN extended THEN COALESCE(extension_days, 0) ELSE 0 END
    WHERE status = 'PENDING' AND due_on IS NOT NULL AND received_on IS NOT NULL;
UPDATE objection SET due_working_days = 10 WHERE status = 'OPEN' AND due_on IS NOT NULL AND received_on IS NOT NULL;
UPDATE complaint SET due_working_days = 10 WHERE status = 'OPEN' AND due_on IS NOT NULL AND received_on IS NOT NULL;
