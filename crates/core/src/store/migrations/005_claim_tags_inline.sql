-- A claim's tags (with their evidence) live on the claim's row as a JSON array, ordered
-- themes first then by id: ingesting writes one row per claim instead of one per tag, and
-- tags are only ever read or rebuilt together with their claim.
ALTER TABLE claims ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

UPDATE claims SET tags = (
    SELECT json_group_array(json_object('kind', kind, 'id', value, 'evidence', json(evidence)))
      FROM (SELECT kind, value, evidence FROM claim_tags WHERE claim_id = claims.id
             ORDER BY kind DESC, value)
) WHERE id IN (SELECT claim_id FROM claim_tags);

DROP TABLE claim_tags;
