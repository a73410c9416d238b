-- Anomalies of the $lookback days up to $day, one row per feature: how many, the strongest.
SELECT
    feature_id,
    count(*) AS n_anomalies,
    max(score) AS anomaly_score,
    arg_max(message, score) AS anomaly_message,
    arg_max(event_date, score) AS anomaly_date
FROM feature_anomaly
WHERE event_date <= $day AND event_date > $day - CAST($lookback AS INTEGER)
GROUP BY feature_id;
