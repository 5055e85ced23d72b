-- Departments are never deleted (accounts, clients and tokens refer to them): an administrator deactivates one.
ALTER TABLE department
    ADD COLUMN active          BOOLEAN     NOT NULL DEFAULT TRUE,
    ADD COLUMN deactivated_at  TIMESTAMPTZ;
