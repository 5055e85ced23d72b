-- V36 gave a pending request whose extension was approved 10 working days plus the extension's. A request resubmitted
-- after a supplement (RESUBMIT) or reopened after a dispute (REOPEN_AFTER_DISPUTE) later than its extension's approval
-- started again at 10 working days from its new receivedOn, keeping its extension flags: its count is 10.
UPDATE share_request r SET due_working_days = 10
    WHERE r.status = 'PENDING' AND r.extended AND r.due_working_days IS NOT NULL
      AND EXISTS (SELECT 1 FROM state_change restart
                  WHERE restart.object_type = 'REQUEST' AND restart.object_id = r.id
                    AND restart.action IN ('RESUBMIT', 'REOPEN_AFTER_DISPUTE')
                    AND restart.id > (SELECT max(ext.id) FROM state_change ext
                                      WHERE ext.object_type = 'REQUEST' AND ext.object_id = r.id
                                        AND ext.action = 'APPROVE_EXTENSION'));
