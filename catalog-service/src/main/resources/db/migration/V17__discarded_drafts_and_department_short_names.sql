-- A draft never published may be deleted by its department's editor (DELETE /entries/{id}). Its history is evidence
-- and stays (entry_event is append-only, V11), closed by a DISCARD step naming the entry's metadata identifier and
-- name; the entry row itself goes, so that the deleted draft is in no list and its name is free again. A history row
-- therefore no longer requires its entry to exist.
ALTER TABLE entry_event DROP CONSTRAINT entry_event_entry_id_fkey;
-- Until now TRUNCATE catalog_entry CASCADE reached entry_event and was refused by its trigger (V11); without the
-- foreign key it would not, so the catalogue itself is not emptied either, whoever asks.
CREATE FUNCTION catalog_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'catalog_entry is never emptied: entries leave by deregistration or deletion of a draft, recorded '
        'in entry_event, which is append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_entry_no_truncate BEFORE TRUNCATE ON catalog_entry
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_entry_no_truncate();

-- The short names people use for the departments (the entries index the full registered name): 人社厅 for
-- 人力资源和社会保障厅, 市监局 for 市场监督管理局, 大数据局 for 大数据发展管理局, and the like. A synonym is a substring
-- replacement in both directions (Synonyms.variants), so 人社 also covers 人社厅 and 人社局 of any level. A term an
-- admin already entered keeps the admin's expansion.
INSERT INTO search_synonym (term, expansion) VALUES
    ('人社', '人力资源和社会保障'),
    ('人社厅', '人力资源和社会保障厅'),
    ('人社局', '人力资源和社会保障局'),
    ('人力社保', '人力资源和社会保障'),
    ('市监局', '市场监督管理局'),
    ('市场监管局', '市场监督管理局'),
    ('市场监管', '市场监督管理'),
    ('大数据局', '大数据发展管理局'),
    ('住建厅', '住房和城乡建设厅'),
    ('住建局', '住房和城乡建设局'),
    ('卫健委', '卫生健康委员会'),
    ('发改委', '发展和改革委员会'),
    ('应急厅', '应急管理厅'),
    ('应急局', '应急管理局'),
    ('公积金中心', '住房公积金管理中心'),
    ('不动产中心', '不动产登记中心')
ON CONFLICT (term) DO NOTHING;
