-- A load that turns a registered enterprise's status in the legal-person reference to 吊销 or 注销 is recorded beside
-- the changes of legal representative (kind STATUS). The account is not disabled by it: an administrator decides.
ALTER TABLE legal_representative_change
    ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'REPRESENTATIVE' CHECK (kind IN ('REPRESENTATIVE', 'STATUS')),
    ADD COLUMN previous_status VARCHAR(16) CHECK (previous_status IN ('IN_BUSINESS', 'REVOKED', 'DEREGISTERED')),
    ADD COLUMN registry_status VARCHAR(16) CHECK (registry_status IN ('IN_BUSINESS', 'REVOKED', 'DEREGISTERED')),
    ALTER COLUMN new_representative_digest DROP NOT NULL,
    ADD CONSTRAINT legal_representative_change_kind_fields CHECK (
        (kind = 'REPRESENTATIVE' AND new_representative_digest IS NOT NULL)
        OR (kind = 'STATUS' AND registry_status IS NOT NULL AND ended_at IS NULL));
ALTER TABLE legal_representative_change ALTER COLUMN kind DROP DEFAULT;

-- Only a change of representative stays open until it is taken over or reverted; a status change is a record.
DROP INDEX legal_representative_change_open_idx;
CREATE UNIQUE INDEX legal_representative_change_open_idx ON legal_representative_change (enterprise_id)
    WHERE ended_at IS NULL AND kind = 'REPRESENTATIVE';
CREATE INDEX legal_representative_change_detected_idx ON legal_representative_change (detected_at DESC, id);
