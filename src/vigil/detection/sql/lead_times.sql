-- For each ground-truth onset, the first anomaly on its feature within the look-back / horizon.
SELECT g.feature_id, g.onset_date,
       min(a.event_date) AS first_detection
FROM truth_batch AS g
LEFT JOIN feature_anomaly AS a
    ON a.feature_id = g.feature_id
   AND a.event_date >= g.onset_date - CAST($lookback_days AS INTEGER)
   AND a.event_date <= g.onset_date + CAST($horizon_days AS INTEGER)
GROUP BY g.feature_id, g.onset_date
ORDER BY g.feature_id, g.onset_date;
