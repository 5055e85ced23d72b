-- A webhook queues events only while its grant is in force (ACTIVE, or SUSPENDED: held until resumed). Before this
-- version a FAILING webhook whose grant had ended kept queuing full copies of the provider's records, PENDING and
-- never sent: the dispatcher drains ACTIVE webhooks only, and only it stopped a webhook of an ended grant. Since this
-- version the grant's end stops its webhook in the same transaction (GrantService); here the trigger stops queuing
-- for ended grants, and the webhooks of grants already ended are stopped, their unsent events dropped without the
-- records' copies, and the consumer told, as the dispatcher would have done.
CREATE OR REPLACE FUNCTION webhook_fan_out() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.change_seq = OLD.change_seq THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_outbox (subscription_id, event_id, change_seq, record_key, deleted, data)
    SELECT s.id, gen_random_uuid(), NEW.change_seq, NEW.record_key, NEW.deleted, NEW.data
      FROM webhook_subscription s
      JOIN share_grant g ON g.id = s.grant_id
     WHERE s.resource_code = NEW.resource_code AND s.status IN ('ACTIVE', 'FAILING')
       AND g.status IN ('ACTIVE', 'SUSPENDED');
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TEMPORARY TABLE webhooks_of_ended_grants ON COMMIT DROP AS
SELECT s.id, s.consumer_department_code AS consumer, g.status AS grant_status
FROM webhook_subscription s JOIN share_grant g ON g.id = s.grant_id
WHERE s.status <> 'STOPPED' AND g.status IN ('TERMINATED', 'EXPIRED');

UPDATE webhook_subscription s
SET status = 'STOPPED',
    status_reason = '授权已终止或到期，webhook 推送已停止 / the grant has ended: webhook deliveries stopped',
    lease_until = NULL,
    updated_at = now()
FROM webhooks_of_ended_grants w
WHERE s.id = w.id;

UPDATE webhook_outbox o
SET status = 'DROPPED', data = NULL, finished_at = now()
FROM webhooks_of_ended_grants w
WHERE o.subscription_id = w.id AND o.status IN ('PENDING', 'GAVE_UP', 'REJECTED');

INSERT INTO notice (department_code, kind, subject_type, subject_id, message, created_at)
SELECT w.consumer, 'WEBHOOK_STOPPED', 'SUBSCRIPTION', w.id,
       '授权已终止或到期，webhook 推送已停止 / the grant has ended: webhook deliveries stopped', now()
FROM webhooks_of_ended_grants w;
