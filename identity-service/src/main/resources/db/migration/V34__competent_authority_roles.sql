-- reviewer (目录审核) and auditor (安全审计, the province-wide audit and usage logs) belong to the staff of a region's
-- 政务数据共享主管部门 (条例 Art. 16: the same-level competent authority reviews; Art. 29: it supervises and inspects).
-- An account of any other department loses them here, with one ROLES_CHANGED audit row by 'migration V34' per account
-- naming what it lost. Accounts of a competent authority keep theirs. Re-running this changes nothing more.
WITH stripped AS (
    DELETE FROM account_role r
    USING account a, department d
    WHERE r.account_id = a.id AND d.id = a.department_id AND NOT d.competent_authority
      AND r.role IN ('reviewer', 'auditor')
    RETURNING r.account_id, r.role, d.code
), lost AS (
    SELECT account_id, code, string_agg(role, ' ' ORDER BY role) AS roles FROM stripped GROUP BY account_id, code
), bumped AS (
    UPDATE account a SET version = a.version + 1, updated_at = now()
    FROM lost l WHERE a.id = l.account_id
    RETURNING a.id
)
INSERT INTO audit_event (at, event_type, outcome, actor, subject, detail)
SELECT now(), 'ROLES_CHANGED', 'SUCCESS', 'migration V34', l.account_id::text,
       'removed "' || l.roles || '": department ' || l.code || ' is not its region''s competent authority '
           || '(主管部门); reviewer and auditor are roles of its staff'
FROM lost l;
