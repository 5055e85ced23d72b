-- 条例第二十二条 (R10): once the provider has agreed, it shares the data within 20 working days. A grant the provider
-- approved carries the day its data is due (delivery_due, 20 working days after the approval on the working-day
-- calendar) and the time of its first delivery (first_delivered_at: the first successful lookup, query, feed read,
-- webhook delivery or export download under it, or the provider's first upload of records to the dataset after the
-- approval). An ACTIVE grant still undelivered after its due day is escalated once (delivery_escalated) to the
-- provider and the 主管部门 of the grant's region. Grants issued by rule (无条件共享, 回流) and grants approved before
-- this migration have no delivery_due: no deadline is tracked for them.
ALTER TABLE share_grant ADD COLUMN delivery_due DATE;
ALTER TABLE share_grant ADD COLUMN first_delivered_at TIMESTAMPTZ;
ALTER TABLE share_grant ADD COLUMN delivery_escalated BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX share_grant_undelivered ON share_grant (delivery_due)
    WHERE delivery_due IS NOT NULL AND first_delivered_at IS NULL;
