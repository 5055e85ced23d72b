-- 不予延期: the 主管部门 refused the provider's extension request; the request keeps its original deadline and the one
-- extension the provider may ask for was used. 撤回申请 (status WITHDRAWN) needs no column: share_request.status is
-- not constrained, and the withdrawal's reason is kept in state_change.
ALTER TABLE share_request ADD COLUMN extension_refused BOOLEAN NOT NULL DEFAULT FALSE;
