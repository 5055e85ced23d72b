-- Catalogue entries (政务数据目录). The entry's metadata is a JSON document (the editable draft and the live
-- published copy side by side), so a published entry stays live while its next version is under review.
CREATE TABLE catalog_entry (
    id                   BIGSERIAL PRIMARY KEY,
    metadata_id          VARCHAR(40)  NOT NULL UNIQUE,          -- 元数据标识符
    resource_code        VARCHAR(80)  UNIQUE,                   -- 信息资源代码, assigned on approval
    classification_code  VARCHAR(40)  NOT NULL,
    provider_code        VARCHAR(18)  NOT NULL,
    name                 VARCHAR(200) NOT NULL,
    state                VARCHAR(30)  NOT NULL,
    draft                JSONB        NOT NULL,
    published            JSONB,
    published_version    INTEGER      NOT NULL DEFAULT 0,
    version_label        VARCHAR(20),
    secrecy_assessment   JSONB,
    pi_assessment        JSONB,
    head_approval        JSONB,
    deregistration       JSONB,
    change_trigger       JSONB,
    review_due           DATE,
    change_due           DATE,
    change_extended      BOOLEAN      NOT NULL DEFAULT FALSE,
    submitted_at         TIMESTAMPTZ,
    created_by           VARCHAR(100) NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    updated_by           VARCHAR(100) NOT NULL,                 -- 元数据维护方 (who last maintained it)
    updated_at           TIMESTAMPTZ  NOT NULL,                 -- 元数据更新日期
    lock_version         INTEGER      NOT NULL DEFAULT 0
);
CREATE INDEX catalog_entry_provider ON catalog_entry (provider_code);
CREATE INDEX catalog_entry_state ON catalog_entry (state);

-- Every publication is a numbered version; content is the full entry as published.
CREATE TABLE entry_version (
    entry_id      BIGINT       NOT NULL REFERENCES catalog_entry (id),
    version       INTEGER      NOT NULL,
    label         VARCHAR(20)  NOT NULL,
    major         BOOLEAN      NOT NULL,
    content       JSONB        NOT NULL,
    published_by  VARCHAR(100) NOT NULL,
    published_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (entry_id, version)
);

-- Who did what, when and why: every lifecycle step and every edit.
CREATE TABLE entry_event (
    id          BIGSERIAL PRIMARY KEY,
    entry_id    BIGINT       NOT NULL REFERENCES catalog_entry (id),
    action      VARCHAR(40)  NOT NULL,
    from_state  VARCHAR(30),
    to_state    VARCHAR(30),
    actor       VARCHAR(100) NOT NULL,
    actor_role  VARCHAR(40),
    opinion     VARCHAR(2000),
    changes     JSONB,
    at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX entry_event_entry ON entry_event (entry_id, id);

-- Change feed: rows are inserted under a transaction-scoped advisory lock, so cursor order is commit order and
-- a consumer that resumes after its last cursor never skips a row.
CREATE TABLE feed_event (
    cursor       BIGSERIAL PRIMARY KEY,
    type         VARCHAR(20)  NOT NULL,
    entry_id     BIGINT       NOT NULL REFERENCES catalog_entry (id),
    occurred_at  TIMESTAMPTZ  NOT NULL,
    entry        JSONB        NOT NULL
);

-- Sequence part (顺序码) of resource codes, per classification code.
CREATE TABLE code_sequence (
    classification_code  VARCHAR(40) PRIMARY KEY,
    last_value           BIGINT      NOT NULL
);

-- Working-day calendar: public holidays and make-up working days (调休上班). Weekends are implicit.
CREATE TABLE calendar_day (
    day   DATE        PRIMARY KEY,
    kind  VARCHAR(10) NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name  VARCHAR(100) NOT NULL
);

-- Search synonyms and abbreviations (社保 → 社会保险).
CREATE TABLE search_synonym (
    term       VARCHAR(50)  PRIMARY KEY,
    expansion  VARCHAR(200) NOT NULL
);
INSERT INTO search_synonym (term, expansion) VALUES
    ('社保', '社会保险'),
    ('公积金', '住房公积金'),
    ('低保', '最低生活保障'),
    ('医保', '医疗保险'),
    ('工商', '市场监督管理'),
    ('户口', '户籍'),
    ('营业执照', '企业登记'),
    ('房产', '不动产');
