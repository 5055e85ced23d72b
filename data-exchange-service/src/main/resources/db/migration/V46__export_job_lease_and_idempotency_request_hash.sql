-- Export jobs: a lease per job, the files of ended grants deleted; Idempotency-Keys tied to their request.
-- Export jobs run on the replica that accepted them, in memory. A replica that stopped left its jobs PENDING for
-- ever, and a retry with the same Idempotency-Key answered that dead job. Each job now records the replica writing it
-- and a lease it renews while the job is queued or written; a job whose lease has run out is failed by any replica
-- (its parts deleted), and a retry with its Idempotency-Key starts a new job. Jobs waiting when this migration runs
-- get one lease, so a replica of the previous version may still finish them.
ALTER TABLE export_job ADD COLUMN worker VARCHAR(100);
ALTER TABLE export_job ADD COLUMN lease_until TIMESTAMPTZ;
UPDATE export_job SET lease_until = now() + interval '10 minutes' WHERE status = 'PENDING';
CREATE INDEX export_job_unfinished ON export_job (lease_until) WHERE status = 'PENDING';

-- A grant that ended for good keeps no export file (GrantService): the files of grants ended before this version are
-- deleted here, READY exports become PURGED (manifest and seal kept), unfinished ones FAILED.
DELETE FROM export_part WHERE export_id IN (SELECT j.id FROM export_job j JOIN share_grant g ON g.id = j.grant_id
                                            WHERE g.status IN ('TERMINATED', 'EXPIRED'));
UPDATE export_job j
SET content = NULL, subject_hashes = NULL, lease_until = NULL,
    failure = CASE WHEN j.status = 'PENDING' THEN '授权已结束，导出未完成 / the grant ended before the export was written'
                   ELSE j.failure END,
    status = CASE WHEN j.status = 'PENDING' THEN 'FAILED' WHEN j.status = 'READY' THEN 'PURGED' ELSE j.status END,
    finished_at = coalesce(j.finished_at, now())
FROM share_grant g
WHERE g.id = j.grant_id AND g.status IN ('TERMINATED', 'EXPIRED')
  AND (j.content IS NOT NULL OR j.status IN ('PENDING', 'READY'));

-- An Idempotency-Key stands for one request: the SHA-256 of the request it was first used for (its body; for exports
-- grant and format) is kept with it, and the same key with another body is refused (422) instead of answering the
-- first call's resource. Keys recorded before have no fingerprint and are not checked.
ALTER TABLE idempotency_record ADD COLUMN request_hash VARCHAR(64);
