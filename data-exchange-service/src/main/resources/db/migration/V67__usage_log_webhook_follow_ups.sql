-- A webhook delivery's entry (logged before connecting) may be followed, under the same request id (the delivery
-- id), by an entry saying it is not one more delivery: NOT_SENT (the request never left), NOT_ACCEPTED (the receiver
-- answered other than 2xx) or REPEATED (the event went again after an attempt that stands as its delivery). The
-- citizens' view looks all three up by request id; this index replaces the one of V45 for NOT_SENT alone.
CREATE INDEX usage_log_webhook_follow_up ON usage_log (request_id)
    WHERE outcome IN ('NOT_SENT', 'NOT_ACCEPTED', 'REPEATED');
DROP INDEX usage_log_not_sent;
