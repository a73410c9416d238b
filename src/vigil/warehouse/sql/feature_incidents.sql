-- Incidents that involved one feature (annotations on its time axis).
SELECT incident_id, started_at, resolved_at, severity, title
FROM fact_incident
WHERE list_contains(feature_ids, $feature_id)
UNION ALL  -- added with `vigil annotate incident add` (NULL feature: every feature)
SELECT annotation_id, started_at, ended_at, 'annotation', text
FROM annotation
WHERE kind = 'incident' AND (feature_id IS NULL OR feature_id = $feature_id)
ORDER BY started_at;
