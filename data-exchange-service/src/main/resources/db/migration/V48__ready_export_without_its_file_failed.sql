-- A READY export job whose file is not stored whole (a part missing, or for a file written before parts its content)
-- cannot be downloaded: the download failed with a server error, and its Idempotency-Key kept answering the job. Such
-- jobs are FAILED (as the service now fails one it finds), what is left of their file deleted, so a retry with the key
-- starts a new job.
WITH broken AS (
    SELECT j.id FROM export_job j
    WHERE j.status = 'READY'
      AND CASE WHEN j.parts IS NULL THEN j.content IS NULL
               ELSE (SELECT count(*) FROM export_part p WHERE p.export_id = j.id AND p.part < j.parts) <> j.parts END
), failed AS (
    UPDATE export_job j
    SET status = 'FAILED', content = NULL, lease_until = NULL, finished_at = coalesce(j.finished_at, now()),
        failure = '导出文件已缺失，请重新创建导出（同一幂等键将创建新的导出）/ the export''s file is missing: create the export '
                  || 'again (the same Idempotency-Key starts a new job)'
    FROM broken b WHERE j.id = b.id
    RETURNING j.id
)
DELETE FROM export_part WHERE export_id IN (SELECT id FROM failed);
