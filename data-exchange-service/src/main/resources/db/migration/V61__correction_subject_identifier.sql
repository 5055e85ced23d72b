-- The 数源部门 must find the record to correct: the requester's ID number or credit code, as the token gave it, is
-- kept with the request and shown to the provider department only (the 主管部门 sees the account id, the requester
-- their own request). Requests filed before this column have none: the provider asks the requester.
ALTER TABLE correction ADD COLUMN subject_identifier VARCHAR(18);
