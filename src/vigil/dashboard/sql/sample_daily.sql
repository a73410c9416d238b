-- Rolling windows and deltas for the sample's daily facts (same definitions as the engine's).
INSERT INTO fact_feature_daily BY NAME
SELECT
    * EXCLUDE (prev28_latency, prev28_crash, prev28_feedback),
    latency_p95_ms / nullif(prev28_latency, 0) * 100 - 100 AS latency_p95_delta_pct,
    (crash_rate - prev28_crash) * 100 AS crash_rate_delta_pp,
    feedback_mean - prev28_feedback AS feedback_delta
FROM (
    SELECT
        *,
        avg(latency_p95_ms) OVER w7 AS latency_p95_7d,
        avg(latency_p95_ms) OVER w28 AS latency_p95_28d,
        avg(crash_rate) OVER w7 AS crash_rate_7d,
        avg(crash_rate) OVER w28 AS crash_rate_28d,
        avg(error_rate) OVER w7 AS error_rate_7d,
        avg(error_rate) OVER w28 AS error_rate_28d,
        avg(feedback_mean) OVER w7 AS feedback_mean_7d,
        avg(feedback_mean) OVER w28 AS feedback_mean_28d,
        avg(active_users) OVER w7 AS active_users_7d,
        avg(latency_p95_ms) OVER prev28 AS prev28_latency,
        avg(crash_rate) OVER prev28 AS prev28_crash,
        avg(feedback_mean) OVER prev28 AS prev28_feedback
    FROM sample_base
    WINDOW
        w7 AS (PARTITION BY feature_id ORDER BY event_date
               RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW),
        w28 AS (PARTITION BY feature_id ORDER BY event_date
                RANGE BETWEEN INTERVAL 27 DAY PRECEDING AND CURRENT ROW),
        prev28 AS (PARTITION BY feature_id ORDER BY event_date
                   RANGE BETWEEN INTERVAL 28 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING)
);
