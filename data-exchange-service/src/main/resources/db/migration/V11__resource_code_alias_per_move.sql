-- A reclassification can be reversed (A → B, then B → A) and the resource can leave its former code again (A → C).
-- resource_code_alias gets one row per move instead of one per old code: keyed by the old code and the feed item that
-- moved it, so each time a code was left stays recorded as it was (V10's trigger still refuses any change but
-- current_code, and every delete). current_code of every row follows later moves, a move back included: after
-- A → B → A both rows resolve to A, after A → C all of A's and B's rows resolve to C.
ALTER TABLE resource_code_alias DROP CONSTRAINT resource_code_alias_pkey;
ALTER TABLE resource_code_alias ADD PRIMARY KEY (old_code, feed_cursor);
