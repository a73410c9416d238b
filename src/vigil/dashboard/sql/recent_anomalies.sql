-- Anomalies of the last $days days of detection output, strongest first.
SELECT
    a.feature_id,
    coalesce(f.feature_name, a.feature_id) AS feature_name,
    a.event_date,
    a.metric,
    a.kind,
    a.score,
    a.deployment_id,
    a.message
FROM feature_anomaly AS a
LEFT JOIN dim_feature AS f USING (feature_id)
WHERE a.event_date > (SELECT max(event_date) FROM feature_anomaly) - to_days(CAST($days AS INTEGER))
ORDER BY a.score DESC, a.event_date DESC, a.feature_id;
