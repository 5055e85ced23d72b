-- When the account's phone and e-mail were shown to reach the holder (the email_verified and phone_number_verified
-- claims): set by the service where a contact is verified — a change confirmed with the code sent to the new
-- contact and applied (更换手机或邮箱), an administrator's in-person check (柜台核验), a registration that gave
-- exactly one contact and was confirmed with the code sent to it. Null otherwise.
ALTER TABLE account ADD COLUMN email_verified_at TIMESTAMPTZ, ADD COLUMN phone_verified_at TIMESTAMPTZ;

-- Backfilled once from what showed it before the columns existed, so no contact verified then is unverified now:
-- a contact change APPLIED with the current value, or a successful counter verification whose audit row names the
-- contact among those it set. The latest such moment.
UPDATE account a SET
    email_verified_at = CASE WHEN a.email IS NULL THEN NULL ELSE GREATEST(
        (SELECT max(c.ended_at) FROM contact_change c WHERE c.account_id = a.id AND c.channel = 'EMAIL'
            AND c.outcome = 'APPLIED' AND lower(c.new_value) = lower(btrim(a.email))),
        (SELECT max(e.at) FROM audit_event e WHERE e.event_type = 'COUNTER_VERIFICATION' AND e.outcome = 'SUCCESS'
            AND e.subject = a.id::text AND e.detail ~ '; contacts set:( phone)? email;')) END,
    phone_verified_at = CASE WHEN a.phone IS NULL THEN NULL ELSE GREATEST(
        (SELECT max(c.ended_at) FROM contact_change c WHERE c.account_id = a.id AND c.channel = 'PHONE'
            AND c.outcome = 'APPLIED' AND lower(c.new_value) = lower(btrim(a.phone))),
        (SELECT max(e.at) FROM audit_event e WHERE e.event_type = 'COUNTER_VERIFICATION' AND e.outcome = 'SUCCESS'
            AND e.subject = a.id::text AND e.detail ~ '; contacts set: phone( email)?;')) END
WHERE a.email IS NOT NULL OR a.phone IS NOT NULL;

-- A verified moment belongs to the contact it verified: a row without the contact has none.
ALTER TABLE account ADD CONSTRAINT account_email_verified_check CHECK (email_verified_at IS NULL OR email IS NOT NULL),
    ADD CONSTRAINT account_phone_verified_check CHECK (phone_verified_at IS NULL OR phone IS NOT NULL);

-- A contact changed by any path that does not set its verified moment with it (an administrator's edit, a script,
-- closure) is no longer verified: the moment is cleared. The paths that verify set the moment in the same UPDATE.
CREATE FUNCTION account_contact_unverified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.email IS DISTINCT FROM OLD.email AND NEW.email_verified_at IS NOT DISTINCT FROM OLD.email_verified_at THEN
        NEW.email_verified_at := NULL;
    END IF;
    IF NEW.phone IS DISTINCT FROM OLD.phone AND NEW.phone_verified_at IS NOT DISTINCT FROM OLD.phone_verified_at THEN
        NEW.phone_verified_at := NULL;
    END IF;
    IF NEW.email IS NULL THEN
        NEW.email_verified_at := NULL;
    END IF;
    IF NEW.phone IS NULL THEN
        NEW.phone_verified_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER account_contact_unverified BEFORE UPDATE ON account FOR EACH ROW
    EXECUTE FUNCTION account_contact_unverified();
