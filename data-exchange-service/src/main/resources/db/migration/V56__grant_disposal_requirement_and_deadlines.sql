-- R14 (条例第二十七条第一款、第四十条第四项): when the purpose ends the consumer disposes of the shared data as the
-- provider requires. The grant keeps the provider's requirement (disposal_method, disposal_instructions: stated at
-- approval, changeable at termination; null when none was stated: deletion) and a deadline: disposal_working_days
-- working days after disposal_started_on (the day the grant was terminated or expired), the due day in disposal_due.
-- The consumer is reminded once before it (disposal_reminded); unconfirmed after it, the consumer, the provider and the
-- 主管部门 of the grant's region are told once (disposal_escalated).
ALTER TABLE share_grant ADD COLUMN disposal_method VARCHAR(20)
    CHECK (disposal_method IN ('DELETE', 'RETURN', 'ARCHIVE_SEALED', 'OTHER'));
ALTER TABLE share_grant ADD COLUMN disposal_instructions TEXT CHECK (char_length(disposal_instructions) <= 2000);
ALTER TABLE share_grant ADD COLUMN disposal_started_on DATE;
ALTER TABLE share_grant ADD COLUMN disposal_working_days INT CHECK (disposal_working_days > 0);
ALTER TABLE share_grant ADD COLUMN disposal_due DATE;
ALTER TABLE share_grant ADD COLUMN disposal_reminded BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE share_grant ADD COLUMN disposal_escalated BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX share_grant_disposal_open ON share_grant (disposal_due)
    WHERE disposal_confirmed_at IS NULL AND disposal_started_on IS NOT NULL;

-- Grants that had already ended without a confirmed disposal: their deadline runs from today (no earlier day was
-- announced to their consumers); the exchange counts the due day in working days on its next daily run.
UPDATE share_grant SET disposal_started_on = (now() AT TIME ZONE 'Asia/Shanghai')::date
    WHERE status IN ('TERMINATED', 'EXPIRED') AND disposal_confirmed_at IS NULL;

-- R14: a suspension for misuse may carry a rectification deadline (整改期限), rectification_working_days after the day
-- it was required; a grant still suspended after rectification_due is escalated once to the 主管部门.
ALTER TABLE share_grant ADD COLUMN rectification_required_on DATE;
ALTER TABLE share_grant ADD COLUMN rectification_working_days INT CHECK (rectification_working_days > 0);
ALTER TABLE share_grant ADD COLUMN rectification_due DATE;
ALTER TABLE share_grant ADD COLUMN rectification_escalated BOOLEAN NOT NULL DEFAULT FALSE;
