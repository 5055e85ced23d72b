-- 双人复核 also for enabling a disabled administrator (ENABLE): it gives their power back, as disabling takes it.
ALTER TABLE admin_change DROP CONSTRAINT admin_change_kind_check;
ALTER TABLE admin_change ADD CONSTRAINT admin_change_kind_check
    CHECK (kind IN ('ROLES', 'LEVEL', 'COUNTER_VERIFICATION', 'CREATE', 'DISABLE', 'ENABLE', 'TOTP_RESET'));
