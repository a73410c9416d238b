INSERT INTO feature_anomaly
    (feature_id, event_date, metric, kind, score, deployment_id, message, run_id)
SELECT feature_id, event_date, metric, kind, score, deployment_id, message, $run_id
FROM anomaly_rows
WHERE $since IS NULL OR event_date >= $since;
