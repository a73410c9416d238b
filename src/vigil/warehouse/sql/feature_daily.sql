-- One feature's daily facts with the rolling windows the aggregation stored (rolling.sql).
SELECT
    event_date,
    latency_p50_ms,
    latency_p95_ms,
    latency_p95_7d,
    crash_rate,
    crash_rate_7d,
    error_rate,
    feedback_mean,
    feedback_mean_7d,
    usage_count,
    active_users,
    active_users_7d
FROM fact_feature_daily
WHERE feature_id = $feature_id
ORDER BY event_date;
