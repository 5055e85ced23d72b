-- 双人复核 also for deactivating (DEPARTMENT_DEACTIVATE, 撤销部门) and reactivating (DEPARTMENT_REACTIVATE, 恢复部门)
-- a department another administrator works in: deactivating takes their roles from their tokens, reactivating gives
-- them back. Such a change names the department (department_code, kept since V28 for creations), the version the
-- requester read and the reason, and no account. At most one waits per department.
ALTER TABLE admin_change DROP CONSTRAINT admin_change_kind_check;
ALTER TABLE admin_change ADD CONSTRAINT admin_change_kind_check
    CHECK (kind IN ('ROLES', 'LEVEL', 'COUNTER_VERIFICATION', 'CREATE', 'DISABLE', 'ENABLE', 'TOTP_RESET',
                    'DEPARTMENT_DEACTIVATE', 'DEPARTMENT_REACTIVATE'));
ALTER TABLE admin_change DROP CONSTRAINT admin_change_account_check;
ALTER TABLE admin_change
    ADD COLUMN department_version BIGINT,     -- DEPARTMENT_*: the department's version when it was asked for
    ADD CONSTRAINT admin_change_account_check
        CHECK (account_id IS NOT NULL OR (kind = 'CREATE' AND status <> 'APPLIED')
               OR kind IN ('DEPARTMENT_DEACTIVATE', 'DEPARTMENT_REACTIVATE')),
    ADD CONSTRAINT admin_change_department_check
        CHECK (kind NOT IN ('DEPARTMENT_DEACTIVATE', 'DEPARTMENT_REACTIVATE')
               OR (account_id IS NULL AND department_code IS NOT NULL AND department_version IS NOT NULL
                   AND reason IS NOT NULL));
CREATE UNIQUE INDEX admin_change_pending_department_idx ON admin_change (department_code)
    WHERE status = 'PENDING' AND kind IN ('DEPARTMENT_DEACTIVATE', 'DEPARTMENT_REACTIVATE');
CREATE INDEX admin_change_department_idx ON admin_change (department_code) WHERE department_code IS NOT NULL;
