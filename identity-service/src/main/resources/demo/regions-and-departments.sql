-- Demo data (local run and tests only, loaded by DemoDataLoader): 浙江省, two cities and four counties; the province's departments.
INSERT INTO region (code, name, level, parent_code) VALUES
    ('330000', '浙江省', 'PROVINCE', NULL),
    ('330100', '杭州市', 'CITY', '330000'),
    ('330200', '宁波市', 'CITY', '330000'),
    ('330106', '西湖区', 'COUNTY', '330100'),
    ('330110', '余杭区', 'COUNTY', '330100'),
    ('330203', '海曙区', 'COUNTY', '330200'),
    ('330282', '慈溪市', 'COUNTY', '330200');

INSERT INTO department (code, name, name_en, region_code, level, kind, competent_authority) VALUES
    ('113300000024810109', '浙江省大数据发展管理局', 'Zhejiang Big Data Development Administration', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', TRUE),
    ('11330000002481020A', '浙江省公安厅', 'Zhejiang Public Security Department', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('11330000002481030B', '浙江省自然资源厅', 'Zhejiang Natural Resources Department', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('123300004701410402', '浙江省不动产登记中心', 'Zhejiang Real Estate Registration Centre', '330000', 'PROVINCE', 'AUTHORISED_ORGANISATION', FALSE),
    ('123300004701410503', '浙江省住房公积金管理中心', 'Zhejiang Housing Provident Fund Centre', '330000', 'PROVINCE', 'AUTHORISED_ORGANISATION', FALSE),
    ('11330000002481060E', '浙江省人力资源和社会保障厅', 'Zhejiang Human Resources and Social Security Department', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('11330000002481070F', '浙江省市场监督管理局', 'Zhejiang Administration for Market Regulation', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('11330000002481080G', '浙江省应急管理厅', 'Zhejiang Emergency Management Department', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('11330000002481090H', '浙江省民政厅', 'Zhejiang Civil Affairs Department', '330000', 'PROVINCE', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('113301000024910106', '杭州市数据资源管理局', 'Hangzhou Data Resources Administration', '330100', 'CITY', 'GOVERNMENT_DEPARTMENT', TRUE),
    ('113301000024910207', '杭州市公安局', 'Hangzhou Public Security Bureau', '330100', 'CITY', 'GOVERNMENT_DEPARTMENT', FALSE),
    ('113302000025010108', '宁波市市场监督管理局', 'Ningbo Administration for Market Regulation', '330200', 'CITY', 'GOVERNMENT_DEPARTMENT', FALSE);

-- 不动产登记中心 sits under 自然资源厅; city departments under their provincial counterparts.
UPDATE department SET parent_id = (SELECT id FROM department WHERE code = '11330000002481030B') WHERE code = '123300004701410402';
UPDATE department SET parent_id = (SELECT id FROM department WHERE code = '11330000002481020A') WHERE code = '113301000024910207';
UPDATE department SET parent_id = (SELECT id FROM department WHERE code = '11330000002481070F') WHERE code = '113302000025010108';
UPDATE department SET parent_id = (SELECT id FROM department WHERE code = '113300000024810109') WHERE code = '113301000024910106';

INSERT INTO department (code, name, name_en, region_code, parent_id, level, kind, competent_authority)
SELECT '11330106002511010H', '杭州市西湖区民政局', 'Xihu District Civil Affairs Bureau', '330106', id, 'COUNTY', 'GOVERNMENT_DEPARTMENT', FALSE
FROM department WHERE code = '11330000002481090H';
