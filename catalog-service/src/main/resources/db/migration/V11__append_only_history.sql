-- The catalogue's histories are evidence (条例 Art. 41 accountability; the exchange's state_change and usage_record
-- are kept the same way, its V9 and V38): an entry's steps (entry_event: who did what, when and why) and the
-- working-day calendar's changes (calendar_change, V10) are only ever appended. The database itself refuses to
-- change or remove a row, or to empty either table, whoever asks; the service never does.
CREATE FUNCTION history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: its rows are never updated or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER entry_event_no_update BEFORE UPDATE OR DELETE ON entry_event
    FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER entry_event_no_truncate BEFORE TRUNCATE ON entry_event
    FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();

CREATE TRIGGER calendar_change_no_update BEFORE UPDATE OR DELETE ON calendar_change
    FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER calendar_change_no_truncate BEFORE TRUNCATE ON calendar_change
    FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();
