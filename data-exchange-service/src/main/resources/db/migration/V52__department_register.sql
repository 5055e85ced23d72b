-- A copy of identity-service's department register (GET /api/identity/v1/departments), refreshed at start and
-- periodically (DepartmentRegister): it names the 政务数据共享主管部门 of each region (R17, 条例第二十八条), so a
-- dispute records its handler and the notices to a region's 主管部门 are addressed to that department.
CREATE TABLE department_register (
    code                VARCHAR(18)  PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    region_code         VARCHAR(12)  NOT NULL,
    competent_authority BOOLEAN      NOT NULL,
    active              BOOLEAN      NOT NULL,
    refreshed_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX department_register_authority ON department_register (region_code) WHERE competent_authority AND active;
