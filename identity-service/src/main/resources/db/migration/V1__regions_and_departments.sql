-- Administrative regions (GB/T 2260) and the department registry.

CREATE TABLE region (
    code         VARCHAR(12) PRIMARY KEY,           -- GB/T 2260 code (6 digits; 9/12 for 乡/村)
    name         VARCHAR(100) NOT NULL,
    level        VARCHAR(16)  NOT NULL CHECK (level IN ('PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE')),
    parent_code  VARCHAR(12) REFERENCES region (code)
);
CREATE INDEX region_parent_idx ON region (parent_code);

CREATE TABLE department (
    id                   BIGSERIAL PRIMARY KEY,
    code                 VARCHAR(18)  NOT NULL UNIQUE,   -- 统一社会信用代码
    name                 VARCHAR(200) NOT NULL,
    name_en              VARCHAR(200),
    region_code          VARCHAR(12)  NOT NULL REFERENCES region (code),
    parent_id            BIGINT REFERENCES department (id),
    level                VARCHAR(16)  NOT NULL CHECK (level IN ('PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE')),
    kind                 VARCHAR(32)  NOT NULL CHECK (kind IN ('GOVERNMENT_DEPARTMENT', 'AUTHORISED_ORGANISATION')),
    competent_authority  BOOLEAN      NOT NULL DEFAULT FALSE,  -- 政务数据共享主管部门 of its region
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version              BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX department_region_idx ON department (region_code);
CREATE INDEX department_parent_idx ON department (parent_id);
-- One competent authority per region.
CREATE UNIQUE INDEX department_one_authority_per_region ON department (region_code) WHERE competent_authority;
