-- The words staff type for the demo catalogue's items, which the V2 list lacks: 身份证号 for the 公民身份号码 carried by
-- most entries about people, 营业执照号 for the 统一社会信用代码 printed on a business licence since 三证合一, 社保卡.
-- Admins edit the list (PUT /admin/synonyms/{term}): a term an admin already entered keeps the admin's expansion.
INSERT INTO search_synonym (term, expansion) VALUES
    ('身份证号', '公民身份号码'),
    ('身份证号码', '公民身份号码'),
    ('证件号码', '公民身份号码'),
    ('营业执照号', '统一社会信用代码'),
    ('社保卡', '社会保障卡')
ON CONFLICT (term) DO NOTHING;
