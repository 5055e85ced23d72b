-- R14, R20: who imposed a grant's suspension. AUTHORITY: the 主管部门 (a reviewer or admin, directly, for a security
-- incident or for an upheld complaint), lifted only by the 主管部门; PROVIDER: the providing department's operators,
-- lifted by them or by the 主管部门. Null while the grant is not suspended.
ALTER TABLE share_grant ADD COLUMN suspended_by VARCHAR(10)
    CHECK (suspended_by IS NULL OR suspended_by IN ('AUTHORITY', 'PROVIDER'));

-- Grants suspended now: the latest SUSPEND in their history decides; a suspension recorded by a reviewer or admin, or
-- with no record of who imposed it, is the 主管部门's; a complaint upheld with the grant suspended after the provider's
-- own suspension (it left that suspension in place) makes it the 主管部门's too.
UPDATE share_grant g SET suspended_by = CASE
    WHEN s.actor_role = 'operator' AND NOT EXISTS (
        SELECT 1 FROM complaint c WHERE c.grant_id = g.id AND c.grant_suspended AND c.decided_at >= s.changed_at)
    THEN 'PROVIDER'
    ELSE 'AUTHORITY' END
FROM share_grant g2
LEFT JOIN LATERAL (
    SELECT sc.actor_role, sc.changed_at FROM state_change sc
    WHERE sc.object_type = 'GRANT' AND sc.object_id = g2.id AND sc.action = 'SUSPEND'
    ORDER BY sc.id DESC LIMIT 1) s ON true
WHERE g2.id = g.id AND g.status = 'SUSPENDED';
