-- Incidents that involved one feature (annotations on the time axis).
SELECT incident_id, started_at, resolved_at, severity, title
FROM fact_incident
WHERE list_contains(feature_ids, $feature_id)
ORDER BY started_at;
