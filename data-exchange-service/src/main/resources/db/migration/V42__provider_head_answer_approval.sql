-- 提供部门负责人审核答复 (条例第二十条第三款): the provider's answer to a share request is given after the approval of the
-- providing department's head. An operator who is not the head prepares the answer (approval with its items, period,
-- plain items and quotas, or refusal with its reasons and legal basis): it is kept as the proposed answer (JSON) and
-- the request waits as ANSWER_AWAITING_HEAD, its deadline still running, until the head approves it (the answer is
-- applied) or returns it (back to PENDING, the proposal cleared). The head who approved the answer (name from the
-- head's token, else its subject) and its subject are kept; answers given before V42 have none.
ALTER TABLE share_request ADD COLUMN proposed_answer TEXT;
ALTER TABLE share_request ADD COLUMN answer_proposed_by VARCHAR(200);
ALTER TABLE share_request ADD COLUMN answer_proposed_at TIMESTAMPTZ;
ALTER TABLE share_request ADD COLUMN provider_head_approver VARCHAR(200);
ALTER TABLE share_request ADD COLUMN provider_head_approver_subject VARCHAR(200);
ALTER TABLE share_request DROP CONSTRAINT share_request_status;
ALTER TABLE share_request ADD CONSTRAINT share_request_status CHECK (status IN ('AWAITING_HEAD_APPROVAL',
    'RETURNED_BY_HEAD', 'PENDING', 'ANSWER_AWAITING_HEAD', 'SUPPLEMENT_REQUESTED', 'APPROVED', 'GRANTED', 'REFUSED',
    'NOT_SHARED', 'WITHDRAWN'));
-- a request awaits its provider's head exactly while it holds a proposed answer
ALTER TABLE share_request ADD CONSTRAINT share_request_proposed_answer CHECK ((status = 'ANSWER_AWAITING_HEAD')
    = (proposed_answer IS NOT NULL));
