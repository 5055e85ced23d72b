-- R17 (条例第二十八条): a consumer department may dispute more than a refusal: the provider's suspension or termination
-- of its grant, a late answer to its request, data not delivered by the delivery deadline (R10). A dispute about a
-- grant names it (grant_id; request_id is then the grant's request, if any). Every dispute opened from now on
-- records the negotiation between the departments that preceded it (协商记录): when, who took part, the outcome;
-- disputes opened before have none.
ALTER TABLE dispute ADD COLUMN subject VARCHAR(20) NOT NULL DEFAULT 'REFUSAL'
    CHECK (subject IN ('REFUSAL', 'SUSPENSION', 'TERMINATION', 'LATE_ANSWER', 'NON_DELIVERY'));
ALTER TABLE dispute ADD COLUMN grant_id BIGINT REFERENCES share_grant (id);
ALTER TABLE dispute ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE dispute ADD COLUMN negotiated_on DATE;
ALTER TABLE dispute ADD COLUMN negotiation_participants TEXT;
ALTER TABLE dispute ADD COLUMN negotiation_outcome TEXT CHECK (char_length(negotiation_outcome) <= 4000);
ALTER TABLE dispute ADD CONSTRAINT dispute_names_its_object CHECK (request_id IS NOT NULL OR grant_id IS NOT NULL);
CREATE INDEX dispute_grant ON dispute (grant_id) WHERE grant_id IS NOT NULL;
