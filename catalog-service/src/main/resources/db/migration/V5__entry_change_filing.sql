-- The provider's consultation and 备案 for a change that narrows what a published entry shares while other
-- departments hold active grants on it (条例 Art. 27 ¶3), and the reviewer's acceptance of it.
ALTER TABLE catalog_entry ADD COLUMN change_filing JSONB;
