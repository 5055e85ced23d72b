-- A department system may state the reason (事由, e.g. a case number) of each keyed lookup in X-Onenet-Reason. It is
-- kept with the usage-log entry and, from entry format 3 on, hashed into the chain right after the outcome, so it is
-- as tamper-evident as the rest of the entry. Entries without a reason keep format 2 (or 1) and have none; the chain
-- check reports a reason added to such an entry, or removed from a format-3 one. At most 200 characters, as the header
-- accepts. A null column is a catalogue change: no partition is rewritten, and the append-only trigger guards UPDATE
-- and DELETE only.
ALTER TABLE usage_log ADD COLUMN reason VARCHAR(200);
