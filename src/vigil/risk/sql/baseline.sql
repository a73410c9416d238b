-- Per feature-day: the trailing baseline known at the end of that day (past and present only).
-- $baseline_span = baseline_days - 1. Rates are pooled over the window (sums of counts).
CREATE OR REPLACE TEMP TABLE risk_baseline AS
WITH daily AS (
    SELECT
        feature_id,
        event_date,
        date_diff('day', DATE '1970-01-01', event_date) AS day_n,
        latency_p95_ms,
        coalesce(usage_count, 0) AS usage_count,
        coalesce(crash_count, 0) AS crash_count,
        coalesce(error_count, 0) AS error_count,
        coalesce(feedback_count, 0) AS feedback_count,
        feedback_mean,
        active_users
    FROM fact_feature_daily
)
SELECT
    *,
    crash_count / nullif(usage_count, 0) AS crash_rate_day,
    error_count / nullif(usage_count, 0) AS error_rate_day,
    avg(latency_p95_ms) OVER base AS p95_base,
    stddev_samp(latency_p95_ms) OVER base AS p95_sd_base,
    sum(crash_count) OVER base / nullif(sum(usage_count) OVER base, 0) AS crash_base,
    sum(error_count) OVER base / nullif(sum(usage_count) OVER base, 0) AS error_base,
    sum(feedback_mean * feedback_count) OVER base
        / nullif(sum(CASE WHEN feedback_mean IS NOT NULL THEN feedback_count END) OVER base, 0)
        AS feedback_base,
    -- spread of one rating, from the day-to-day spread of daily means: sd(mean) * sqrt(ratings/day)
    stddev_samp(feedback_mean) OVER base
        * sqrt(avg(CASE WHEN feedback_mean IS NOT NULL THEN feedback_count END) OVER base)
        AS feedback_rating_sd,
    avg(active_users) OVER base AS users_base,
    count(*) OVER base AS history_days
FROM daily
WINDOW base AS (
    PARTITION BY feature_id ORDER BY day_n
    RANGE BETWEEN $baseline_span PRECEDING AND CURRENT ROW
);
