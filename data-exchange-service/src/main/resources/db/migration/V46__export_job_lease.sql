-- Export jobs run on the replica that accepted them, in memory. A replica that stopped left its jobs PENDING for
-- ever, and a retry with the same Idempotency-Key answered that dead job. Each job now records the replica writing it
-- and a lease it renews while the job is queued or written; a job whose lease has run out is failed by any replica
-- (its parts deleted), and a retry with its Idempotency-Key starts a new job. Jobs waiting when this migration runs
-- get one lease, so a replica of the previous version may still finish them.
ALTER TABLE export_job ADD COLUMN worker VARCHAR(100);
ALTER TABLE export_job ADD COLUMN lease_until TIMESTAMPTZ;
UPDATE export_job SET lease_until = now() + interval '10 minutes' WHERE status = 'PENDING';
CREATE INDEX export_job_unfinished ON export_job (lease_until) WHERE status = 'PENDING';

