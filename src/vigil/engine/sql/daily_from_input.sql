-- Daily-grain telemetry input -> the same base metrics (what a daily export can tell us).
SELECT
    feature_id,
    event_date,
    usage_count,
    active_users,
    CAST(NULL AS BIGINT)                      AS sessions,
    latency_ms                                AS latency_mean_ms,
    CAST(NULL AS DOUBLE)                      AS latency_p50_ms,
    latency_p95_ms,
    CAST(NULL AS DOUBLE)                      AS latency_p99_ms,
    CAST(round(crash_rate * usage_count) AS BIGINT) AS crash_count,
    crash_rate,
    CAST(round(error_rate * usage_count) AS BIGINT) AS error_count,
    error_rate,
    CAST(NULL AS BIGINT)                      AS feedback_count,
    feedback_score                            AS feedback_mean,
    CAST(NULL AS DOUBLE)                      AS feedback_negative_share
FROM stg_telemetry_daily
WHERE event_date IN (SELECT unnest($dates))
