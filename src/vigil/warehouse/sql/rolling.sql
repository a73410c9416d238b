-- Rolling 7- and 28-day values, usage share and deltas against the trailing baseline for the
-- days in [$lo, $hi]. Windows are calendar-day ranges, so missing days do not stretch them.
-- The baseline for deltas is the 28-day window that ends the day *before*.
UPDATE fact_feature_daily AS f
SET usage_share           = w.usage_share,
    latency_p95_7d        = w.latency_p95_7d,
    latency_p95_28d       = w.latency_p95_28d,
    crash_rate_7d         = w.crash_rate_7d,
    crash_rate_28d        = w.crash_rate_28d,
    error_rate_7d         = w.error_rate_7d,
    error_rate_28d        = w.error_rate_28d,
    feedback_mean_7d      = w.feedback_mean_7d,
    feedback_mean_28d     = w.feedback_mean_28d,
    active_users_7d       = w.active_users_7d,
    latency_p95_delta_pct = 100.0 * (f.latency_p95_ms / nullif(w.latency_p95_base, 0) - 1.0),
    crash_rate_delta_pp   = 100.0 * (f.crash_rate - w.crash_rate_base),
    feedback_delta        = f.feedback_mean - w.feedback_base
FROM (
    SELECT
        feature_id,
        event_date,
        usage_count / sum(usage_count) OVER (PARTITION BY event_date)                 AS usage_share,
        avg(latency_p95_ms) OVER last7                                                 AS latency_p95_7d,
        avg(latency_p95_ms) OVER last28                                                AS latency_p95_28d,
        avg(crash_rate) OVER last7                                                     AS crash_rate_7d,
        avg(crash_rate) OVER last28                                                    AS crash_rate_28d,
        avg(error_rate) OVER last7                                                     AS error_rate_7d,
        avg(error_rate) OVER last28                                                    AS error_rate_28d,
        avg(feedback_mean) OVER last7                                                  AS feedback_mean_7d,
        avg(feedback_mean) OVER last28                                                 AS feedback_mean_28d,
        avg(active_users) OVER last7                                                   AS active_users_7d,
        avg(latency_p95_ms) OVER base28                                                AS latency_p95_base,
        avg(crash_rate) OVER base28                                                    AS crash_rate_base,
        avg(feedback_mean) OVER base28                                                 AS feedback_base
    FROM fact_feature_daily
    WHERE event_date BETWEEN CAST($lo AS DATE) - INTERVAL 28 DAY AND CAST($hi AS DATE)
    WINDOW
        last7  AS (PARTITION BY feature_id ORDER BY event_date
                   RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW),
        last28 AS (PARTITION BY feature_id ORDER BY event_date
                   RANGE BETWEEN INTERVAL 27 DAY PRECEDING AND CURRENT ROW),
        base28 AS (PARTITION BY feature_id ORDER BY event_date
                   RANGE BETWEEN INTERVAL 28 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING)
) AS w
WHERE f.feature_id = w.feature_id
  AND f.event_date = w.event_date
  AND f.event_date BETWEEN CAST($lo AS DATE) AND CAST($hi AS DATE)
