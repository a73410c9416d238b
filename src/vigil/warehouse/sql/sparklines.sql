-- The last $days days of p95 latency and crash rate per feature, oldest first.
SELECT
    feature_id,
    list(latency_p95_ms ORDER BY event_date) AS latency_trend,
    list(crash_rate ORDER BY event_date) AS crash_trend
FROM fact_feature_daily
WHERE event_date > (SELECT max(event_date) FROM fact_feature_daily) - to_days(CAST($days AS INTEGER))
GROUP BY feature_id
ORDER BY feature_id;
