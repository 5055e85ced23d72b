-- An export job keeps the items its file holds and which of them it holds in clear (unmasked), as the grant allowed
-- when the job was made. A download checks that the grant still allows every one of them (a change may have narrowed
-- it since) and logs them as what left. Files written before this migration take their items from the manifest; which
-- of them were in clear was not recorded (clear_items null: not checked).
ALTER TABLE export_job ADD COLUMN items TEXT;
ALTER TABLE export_job ADD COLUMN clear_items TEXT;
UPDATE export_job SET items = (manifest::jsonb -> 'items')::text WHERE manifest IS NOT NULL;
