-- 法人库: the legal-person reference enterprises are checked against when their legal representative registers them
-- (POST me/enterprises). Administrators load it (POST legal-person-registry). The representative's ID number is kept
-- only as a keyed digest (HMAC, as for delegation invitations): matched against the caller's own ID number, never
-- readable from the table.
CREATE TABLE legal_person_registry (
    uscc                      VARCHAR(18)  PRIMARY KEY,                 -- 统一社会信用代码
    name                      VARCHAR(200) NOT NULL,                    -- the registered name
    representative_id_digest  VARCHAR(64)  NOT NULL,                    -- keyed digest of 法定代表人's 公民身份号码
    status                    VARCHAR(16)  NOT NULL CHECK (status IN ('IN_BUSINESS', 'REVOKED', 'DEREGISTERED')),
    loaded_at                 TIMESTAMPTZ  NOT NULL DEFAULT now(),
    loaded_by                 VARCHAR(120) NOT NULL
);

-- An enterprise's name in English (optional; self-registration takes it).
ALTER TABLE account ADD COLUMN english_name VARCHAR(200);

-- A load that names another legal representative for a registered enterprise: the account is not switched, the
-- change is recorded here and both persons are told. It stays open until the new representative takes the
-- enterprise over (registering it again) or a later load names the recorded representative again.
CREATE TABLE legal_representative_change (
    id                            UUID         PRIMARY KEY,
    enterprise_id                 UUID         NOT NULL REFERENCES account (id),
    uscc                          VARCHAR(18)  NOT NULL,
    recorded_representative_id    UUID         REFERENCES account (id),   -- the account's representative at the time
    new_representative_digest     VARCHAR(64)  NOT NULL,                  -- what the registry now names
    new_representative_id         UUID         REFERENCES account (id),   -- when known (an account with that number)
    detected_at                   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    detected_by                   VARCHAR(120) NOT NULL,
    ended_at                      TIMESTAMPTZ,
    outcome                       VARCHAR(20)  CHECK (outcome IN ('TAKEN_OVER', 'REVERTED', 'SUPERSEDED'))
);
CREATE UNIQUE INDEX legal_representative_change_open_idx ON legal_representative_change (enterprise_id)
    WHERE ended_at IS NULL;
