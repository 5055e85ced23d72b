-- 双人复核 also for creating an account with the role admin (CREATE), disabling an administrator (DISABLE) and
-- resetting an administrator's second factor (TOTP_RESET). A creation waits before the account exists: it keeps what
-- the account is to be (login name, name, department, ID number, the password's hash, contacts in phone/email, roles
-- in roles) until it is decided, and names the account once a confirmation created it. At most one creation of a
-- login name waits.
ALTER TABLE admin_change DROP CONSTRAINT admin_change_kind_check;
ALTER TABLE admin_change ADD CONSTRAINT admin_change_kind_check
    CHECK (kind IN ('ROLES', 'LEVEL', 'COUNTER_VERIFICATION', 'CREATE', 'DISABLE', 'TOTP_RESET'));
ALTER TABLE admin_change ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE admin_change
    ADD COLUMN username        VARCHAR(64),    -- CREATE: the login name
    ADD COLUMN display_name    VARCHAR(200),
    ADD COLUMN department_code VARCHAR(18),
    ADD COLUMN id_number       VARCHAR(18),    -- cleared once decided, as the contacts are
    ADD COLUMN password_hash   VARCHAR(300),   -- cleared once decided
    ADD CONSTRAINT admin_change_account_check
        CHECK (account_id IS NOT NULL OR (kind = 'CREATE' AND status <> 'APPLIED')),
    ADD CONSTRAINT admin_change_creation_check
        CHECK (kind <> 'CREATE' OR (username IS NOT NULL AND display_name IS NOT NULL AND department_code IS NOT NULL));
CREATE UNIQUE INDEX admin_change_pending_creation_idx ON admin_change (lower(username))
    WHERE status = 'PENDING' AND kind = 'CREATE';
