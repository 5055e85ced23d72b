-- The day a security incident's rectification was required and the working days the 主管部门 gave, so that a change of
-- the working-day calendar counts the report's due date again from the same start (as for requests and objections).
ALTER TABLE security_incident ADD COLUMN rectification_required_on DATE;
ALTER TABLE security_incident ADD COLUMN rectification_working_days INT;

-- Incidents under rectification now: from the latest requirement in their history (its day in Beijing time and the
-- working days it recorded). Others keep no count: their dates are settled.
UPDATE security_incident i SET (rectification_required_on, rectification_working_days) = (
    SELECT (sc.changed_at AT TIME ZONE 'Asia/Shanghai')::date, (sc.details::jsonb ->> 'workingDays')::int
    FROM state_change sc
    WHERE sc.object_type = 'INCIDENT' AND sc.object_id = i.id AND sc.action = 'REQUIRE_RECTIFICATION'
    ORDER BY sc.id DESC LIMIT 1)
WHERE i.status = 'RECTIFYING';
