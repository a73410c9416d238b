-- Raw telemetry events -> one row per feature x day of base metrics (no rolling windows yet).
-- The engine fills in the events placeholder of FROM with its scan of the event files.
-- The three latency percentiles come from one list-quantile (one sort per group, not three).
-- This DuckDB SQL is the one source: Spark runs it through vigil.engine.transpile.
SELECT
    feature_id, event_date, usage_count, active_users, sessions, latency_mean_ms,
    latency_q[1] AS latency_p50_ms,
    latency_q[2] AS latency_p95_ms,
    latency_q[3] AS latency_p99_ms,
    crash_count, crash_rate, error_count, error_rate, feedback_count, feedback_mean,
    feedback_negative_share
FROM (
    SELECT
        feature_id,
        CAST(event_time AS DATE)                          AS event_date,
        count(*)                                          AS usage_count,
        count(DISTINCT user_id)                           AS active_users,
        count(DISTINCT session_id)                        AS sessions,
        avg(latency_ms)                                   AS latency_mean_ms,
        quantile_cont(latency_ms, [0.50, 0.95, 0.99])     AS latency_q,
        count(*) FILTER (WHERE crashed)                   AS crash_count,
        avg(CAST(crashed AS DOUBLE))                      AS crash_rate,
        coalesce(sum(error_count), 0)                     AS error_count,
        coalesce(sum(error_count), 0) / count(*)          AS error_rate,
        count(feedback_score)                             AS feedback_count,
        avg(feedback_score)                               AS feedback_mean,
        avg(CAST(feedback_score <= 2 AS DOUBLE))          AS feedback_negative_share
    FROM {events}
    GROUP BY ALL
)
