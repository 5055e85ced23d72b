-- A reviewer reads the usage-log entries of the grants of its region (UsageLogScope): the list finds them by grant.
CREATE INDEX usage_log_grant ON usage_log (grant_id, seq);
