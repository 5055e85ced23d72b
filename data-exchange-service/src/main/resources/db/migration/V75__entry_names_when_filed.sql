-- The catalogue entry's name and its data items' names as they stood when a request (or the objection) was filed,
-- kept beside the codes so that whoever reads the case sees the words the filer saw, also after the catalogue renamed
-- the entry or an item. item_names: JSON object, item code -> name. A grant keeps its request's names.
-- The replica holds only an entry's current version, so nothing records the names of cases filed before this
-- migration: their columns stay NULL (the views show null) rather than today's names passed off as the old ones.
ALTER TABLE share_request ADD COLUMN resource_name VARCHAR(300), ADD COLUMN item_names TEXT;
ALTER TABLE share_grant ADD COLUMN resource_name VARCHAR(300), ADD COLUMN item_names TEXT;
ALTER TABLE objection ADD COLUMN resource_name VARCHAR(300), ADD COLUMN item_names TEXT;
