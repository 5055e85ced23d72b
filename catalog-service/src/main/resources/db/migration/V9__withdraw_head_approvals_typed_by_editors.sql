-- R4 (条例 Art. 13 ¶1): the department head approves a catalogue entry with the head's own account (role head).
-- Until now an editor recorded the approval and typed in the head's name, which is not the head's approval. On the
-- drafts being edited (草稿, 退回修改, 变更中: not yet submitted) such an approval is withdrawn, recorded in the
-- history as a WITHDRAW_APPROVAL step that keeps the withdrawn record in `changes`, so the next submission is refused
-- with this reason until the head approves with their own account. Entries in review, published or deregistered keep
-- their records and history untouched.
INSERT INTO entry_event (entry_id, action, from_state, to_state, actor, actor_name, actor_role, opinion, changes, at)
SELECT id, 'WITHDRAW_APPROVAL', state, state, 'catalog-service', NULL, 'system',
       '部门负责人审核须由部门负责人本人账号办理，编目人员代为记录的审核已撤回，须重新审核 / the head''s approval must be '
           || 'given with the head''s own account: the approval an editor recorded is withdrawn, the head approves again',
       jsonb_build_object('withdrawn', jsonb_build_array('headApproval'), 'headApproval', head_approval),
       now()
FROM catalog_entry
WHERE head_approval IS NOT NULL AND state IN ('DRAFT', 'RETURNED', 'CHANGE_PENDING')
ORDER BY id;

UPDATE catalog_entry SET head_approval = NULL
WHERE head_approval IS NOT NULL AND state IN ('DRAFT', 'RETURNED', 'CHANGE_PENDING');
