-- R20: an item a grant delivers masked stays masked for that grant, whatever a later version of the catalogue says of
-- it (an item no longer marked sensitive, a lower grade). masked_items holds, as a JSON array, the granted items that
-- were delivered masked when the grant was issued (sensitive, of a grade of 2 and above, not granted in clear); each
-- catalogue version applied to the entry adds the items it masks. Existing grants get the items their entry masks
-- for them today (the replica's current version, the best record there is).
ALTER TABLE share_grant ADD COLUMN masked_items TEXT NOT NULL DEFAULT '[]';

UPDATE share_grant g SET masked_items = COALESCE((
    SELECT jsonb_agg(i.item ->> 'code' ORDER BY i.ord)::text
    FROM catalog_entry e
    CROSS JOIN LATERAL jsonb_array_elements(e.items::jsonb) WITH ORDINALITY AS i(item, ord)
    WHERE e.resource_code = g.resource_code
      AND (e.grade IS NULL OR right(e.grade, 2) <> '_1')
      AND (i.item ->> 'sensitive') = 'true'
      AND g.items::jsonb @> jsonb_build_array(i.item ->> 'code')
      AND NOT g.clear_items::jsonb @> jsonb_build_array(i.item ->> 'code')), '[]');
