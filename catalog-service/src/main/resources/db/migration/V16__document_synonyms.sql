-- The documents people name when they look for the record behind them: the household register booklet (户口本, also
-- written 户口簿) for the 户籍 entries, the marriage certificate (结婚证, 结婚证明) for 婚姻登记, the identity card
-- (身份证) for the 公民身份号码 most entries about people carry. Without them 户口本 and 结婚证明 found their entries only
-- by the partial match. A term an admin already entered keeps the admin's expansion.
INSERT INTO search_synonym (term, expansion) VALUES
    ('户口本', '户籍'),
    ('户口簿', '户籍'),
    ('结婚证', '婚姻登记'),
    ('结婚证明', '婚姻登记'),
    ('身份证', '公民身份号码')
ON CONFLICT (term) DO NOTHING;
