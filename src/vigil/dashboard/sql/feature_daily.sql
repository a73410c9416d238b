-- One feature's daily series with 7-day rolling lines for the trends page.
SELECT
    event_date,
    latency_p50_ms,
    latency_p95_ms,
    avg(latency_p50_ms) OVER w AS latency_p50_7d,
    coalesce(latency_p95_7d, avg(latency_p95_ms) OVER w) AS latency_p95_7d,
    crash_rate,
    coalesce(crash_rate_7d, avg(crash_rate) OVER w) AS crash_rate_7d,
    error_rate,
    feedback_mean,
    coalesce(feedback_mean_7d, avg(feedback_mean) OVER w) AS feedback_mean_7d,
    usage_count,
    avg(usage_count) OVER w AS usage_count_7d,
    active_users
FROM fact_feature_daily
WHERE feature_id = $feature_id
WINDOW w AS (ORDER BY event_date RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW)
ORDER BY event_date;
