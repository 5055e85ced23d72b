-- The account list filters by role (`GET accounts?role=`): find the holders of a role without reading every account.
CREATE INDEX account_role_role_idx ON account_role (role);
