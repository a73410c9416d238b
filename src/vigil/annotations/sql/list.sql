-- Annotations, optionally of one kind and touching one feature (an all-feature one touches all).
SELECT annotation_id, kind, coalesce(feature_id, 'all') AS feature, started_at, ended_at, text,
       created_at
FROM annotation
WHERE ($kind IS NULL OR kind = $kind)
  AND ($feature_id IS NULL OR feature_id IS NULL OR feature_id = $feature_id)
ORDER BY started_at, annotation_id;
