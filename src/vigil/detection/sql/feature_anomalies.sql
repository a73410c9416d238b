-- Every anomaly flagged on one feature, for markers on its trend charts.
SELECT event_date, metric, kind, score, deployment_id, message
FROM feature_anomaly
WHERE feature_id = $feature_id
ORDER BY event_date, metric;
