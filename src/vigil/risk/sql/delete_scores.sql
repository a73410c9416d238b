-- Remove the scores about to be rewritten, so a re-run replaces rather than duplicates.
DELETE FROM feature_risk AS r
USING risk_incoming AS i
WHERE r.feature_id = i.feature_id AND r.score_date = i.score_date;
