-- 部门负责人 (head): approves the department's catalogue submissions and share requests with its own account.
ALTER TABLE account_role DROP CONSTRAINT account_role_role_check;
ALTER TABLE account_role ADD CONSTRAINT account_role_role_check
    CHECK (role IN ('operator', 'catalog-editor', 'reviewer', 'head', 'auditor', 'admin'));
