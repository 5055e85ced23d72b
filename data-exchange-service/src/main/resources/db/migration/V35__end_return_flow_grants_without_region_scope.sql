-- R18 (条例第二十四条): 回流 gives a lower government the data about its own area. A 回流 grant issued without a region
-- scope (the dataset had no region key: no XZQHDM item, key item not GMSFHM, BDCDYH or TYSHXYDM) delivered the whole
-- provincial dataset with no review. Since this version such a request takes the normal conditional path; the grants
-- issued before are ended here, as the exchange's own automatic decision (actor scheduler, as for a deregistered
-- entry), each with its history row and a notice to both departments. A new filing is answered by the provider within
-- 10 working days; webhooks of the ended grants stop at their next event.
CREATE TEMPORARY TABLE unscoped_return_flow ON COMMIT DROP AS
SELECT id, request_id, status AS from_status, provider_department_code AS provider,
       consumer_department_code AS consumer
FROM share_grant
WHERE basis = '回流 (条例第二十四条)' AND region_scope IS NULL AND status IN ('ACTIVE', 'SUSPENDED');

UPDATE share_grant g
SET status = 'TERMINATED',
    status_reason = '回流授权未限于本地区数据，已终止；请重新申请，由提供部门审核 / a 回流 grant not limited to the '
        || 'requester''s region was ended: file again for the provider''s review',
    updated_at = now(),
    version = g.version + 1
FROM unscoped_return_flow u
WHERE g.id = u.id;

INSERT INTO state_change (object_type, object_id, share_request_id, action, from_status, to_status, actor_subject,
                          actor_role, automatic, decision, reason, details, changed_at)
SELECT 'GRANT', u.id, u.request_id, 'TERMINATE', u.from_status, 'TERMINATED', 'data-exchange-service', 'scheduler',
       TRUE, TRUE, g.status_reason, '{"regionScope": null}', now()
FROM unscoped_return_flow u JOIN share_grant g ON g.id = u.id;

INSERT INTO notice (department_code, kind, subject_type, subject_id, message, created_at)
SELECT party, 'GRANT_TERMINATED', 'GRANT', u.id, '授权已终止 / grant terminated: ' || g.status_reason, now()
FROM unscoped_return_flow u JOIN share_grant g ON g.id = u.id
CROSS JOIN LATERAL (VALUES (u.consumer), (u.provider)) AS parties(party);
