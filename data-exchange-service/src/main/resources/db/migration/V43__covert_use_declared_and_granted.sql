-- 隐蔽查询 (covert use, R21) is bound to the purpose the provider approved: a share request may declare it at filing
-- (its legal basis and the longest a covert query may stay hidden, an ISO 8601 period), and the grant issued from the
-- request carries it. X-Covert-Until is accepted only under a grant that permits covert use.
-- Upgrade: requests filed before this version declared nothing, and every existing grant gets
-- covert_use_permitted = false, so covert queries under it are refused (403) until the consumer files a request
-- declaring covert use and it is granted.
ALTER TABLE share_request ADD COLUMN covert_legal_basis TEXT, ADD COLUMN covert_max_period VARCHAR(40);
ALTER TABLE share_request ADD CONSTRAINT share_request_covert_declared CHECK ((covert_legal_basis IS NULL)
    = (covert_max_period IS NULL));
ALTER TABLE share_grant ADD COLUMN covert_use_permitted BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN covert_legal_basis TEXT, ADD COLUMN covert_max_period VARCHAR(40);
ALTER TABLE share_grant ADD CONSTRAINT share_grant_covert_declared CHECK ((covert_use_permitted
    = (covert_legal_basis IS NOT NULL)) AND ((covert_legal_basis IS NULL) = (covert_max_period IS NULL)));
