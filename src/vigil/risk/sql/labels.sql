-- Honest labels: is feature f degrading within the next $horizon days after day t?
-- Future values (pooled over $window_span + 1 consecutive days, all inside (t, t + horizon]) are
-- compared with the trailing baseline known at t (risk_baseline). No model input is used.
-- Noise guards, so chance on small features is not called a regression: a crash / error rise
-- must also clear $min_z standard errors ($count_test 'wald': binomial z on the rates; 'sqrt':
-- the variance-stabilised count test 2 * (sqrt(observed) - sqrt(expected)), which keeps its
-- false-alarm rate on small counts); a feedback drop needs $min_feedback_count ratings and, when
-- $feedback_min_z > 0, that many standard errors of a rating mean; a latency rise, when
-- $latency_min_z > 0, that many day-to-day standard deviations of the baseline p95.
-- The label is NULL (immature) when t + horizon runs past the last day of data.
WITH daily AS (
    SELECT
        feature_id,
        date_diff('day', DATE '1970-01-01', event_date) AS day_n,
        latency_p95_ms,
        coalesce(usage_count, 0) AS usage_count,
        coalesce(crash_count, 0) AS crash_count,
        coalesce(error_count, 0) AS error_count,
        CASE WHEN feedback_mean IS NOT NULL THEN coalesce(feedback_count, 0) END AS feedback_count,
        feedback_mean
    FROM fact_feature_daily
),
future AS (
    SELECT
        feature_id,
        day_n,
        avg(latency_p95_ms) OVER ahead AS p95_future,
        sum(crash_count) OVER ahead / nullif(sum(usage_count) OVER ahead, 0) AS crash_future,
        sum(error_count) OVER ahead / nullif(sum(usage_count) OVER ahead, 0) AS error_future,
        sum(feedback_mean * feedback_count) OVER ahead
            / nullif(sum(feedback_count) OVER ahead, 0) AS feedback_future,
        sum(usage_count) OVER ahead AS usage_future,
        sum(crash_count) OVER ahead AS crash_n_future,
        sum(error_count) OVER ahead AS error_n_future,
        sum(feedback_count) OVER ahead AS feedback_n
    FROM daily
    WINDOW ahead AS (
        PARTITION BY feature_id ORDER BY day_n
        RANGE BETWEEN CURRENT ROW AND $window_span FOLLOWING
    )
),
hits AS (
    SELECT
        b.feature_id,
        b.event_date,
        bool_or(
            f.p95_future >= b.p95_base * $latency_ratio
            AND ($latency_min_z = 0
                OR f.p95_future - b.p95_base >= $latency_min_z * coalesce(b.p95_sd_base, 0))
        ) AS latency_hit,
        bool_or(
            f.crash_future >= b.crash_base + $crash_pp / 100.0
            AND CASE WHEN $count_test = 'sqrt'
                THEN 2 * (sqrt(f.crash_n_future) - sqrt(b.crash_base * f.usage_future)) >= $min_z
                ELSE f.crash_future - b.crash_base >= $min_z * sqrt(
                    greatest(b.crash_base, 1e-4) * (1 - b.crash_base) / f.usage_future)
            END
        ) AS crash_hit,
        bool_or(
            f.feedback_future <= b.feedback_base - $feedback_drop
            AND f.feedback_n >= $min_feedback_count
            AND ($feedback_min_z = 0 OR b.feedback_base - f.feedback_future
                >= $feedback_min_z * coalesce(b.feedback_rating_sd, 0) / sqrt(f.feedback_n))
        ) AS feedback_hit,
        bool_or(
            f.error_future >= b.error_base * CAST($error_ratio AS DOUBLE)
            AND CASE WHEN $count_test = 'sqrt'
                THEN 2 * (sqrt(f.error_n_future) - sqrt(b.error_base * f.usage_future)) >= $min_z
                ELSE f.error_future - b.error_base >= $min_z * sqrt(
                    greatest(b.error_base, 1e-4) * (1 - b.error_base) / f.usage_future)
            END
        ) AS error_hit
    FROM risk_baseline AS b
    JOIN future AS f
        ON f.feature_id = b.feature_id
        AND f.day_n BETWEEN b.day_n + 1 AND b.day_n + $horizon - $window_span
    GROUP BY b.feature_id, b.event_date
),
last_day AS (
    SELECT max(event_date) AS last_date FROM fact_feature_daily
)
SELECT
    b.feature_id,
    b.event_date AS score_date,
    CASE
        WHEN b.event_date + CAST($horizon AS INTEGER) > l.last_date THEN NULL
        ELSE coalesce(h.latency_hit, false) OR coalesce(h.crash_hit, false)
            OR coalesce(h.feedback_hit, false) OR coalesce(h.error_hit, false)
    END AS degrading
FROM risk_baseline AS b
CROSS JOIN last_day AS l
LEFT JOIN hits AS h ON h.feature_id = b.feature_id AND h.event_date = b.event_date
ORDER BY b.feature_id, b.event_date;
