-- 本部门负责人审核 (条例第二十条): a request filed by an operator who is not the head of its department waits for the
-- head's own account (AWAITING_HEAD_APPROVAL) and goes to the provider when the head approves it, or ends when the head
-- returns it (RETURNED_BY_HEAD). Until then it has no approver: office_head_approver becomes nullable, and the head's
-- subject is kept beside the name. Existing requests keep the approver typed at filing and no subject.
ALTER TABLE share_request ALTER COLUMN office_head_approver DROP NOT NULL;
ALTER TABLE share_request ADD COLUMN office_head_approver_subject VARCHAR(200);
ALTER TABLE share_request ADD CONSTRAINT share_request_status CHECK (status IN ('AWAITING_HEAD_APPROVAL',
    'RETURNED_BY_HEAD', 'PENDING', 'SUPPLEMENT_REQUESTED', 'APPROVED', 'GRANTED', 'REFUSED', 'NOT_SHARED',
    'WITHDRAWN'));
-- only a request that never reached the provider (waiting for, returned by, or withdrawn before the head) has no
-- approver
ALTER TABLE share_request ADD CONSTRAINT share_request_head_approved CHECK (office_head_approver IS NOT NULL
    OR status IN ('AWAITING_HEAD_APPROVAL', 'RETURNED_BY_HEAD', 'WITHDRAWN'));
