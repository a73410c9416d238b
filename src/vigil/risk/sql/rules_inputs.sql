-- Cold-start rule inputs per feature at $score_date (values known at the end of that day only).
-- recent: the $recent_days days ending at $score_date; base: up to $baseline_days days before
-- them. Rates are pooled over the window (sums of counts). Also the strongest anomaly on the
-- feature in the $anomaly_days days ending at $score_date, and the latest deployment that touched
-- the feature on or before $score_date.
WITH daily AS (
    SELECT
        feature_id,
        event_date > CAST($score_date AS DATE) - CAST($recent_days AS INTEGER) AS recent,
        latency_p95_ms,
        coalesce(usage_count, 0) AS usage_count,
        coalesce(crash_count, 0) AS crash_count,
        coalesce(error_count, 0) AS error_count,
        feedback_mean,
        CASE WHEN feedback_mean IS NOT NULL THEN coalesce(feedback_count, 0) END AS feedback_count,
        active_users
    FROM fact_feature_daily
    WHERE event_date <= CAST($score_date AS DATE)
      AND event_date > CAST($score_date AS DATE)
          - CAST($recent_days AS INTEGER) - CAST($baseline_days AS INTEGER)
),
windows AS (
    SELECT
        feature_id,
        count(*) FILTER (WHERE recent) AS recent_days,
        count(*) FILTER (WHERE NOT recent) AS base_days,
        avg(latency_p95_ms) FILTER (WHERE recent) AS p95_recent,
        avg(latency_p95_ms) FILTER (WHERE NOT recent) AS p95_base,
        stddev_samp(latency_p95_ms) FILTER (WHERE NOT recent) AS p95_base_sd,
        sum(usage_count) FILTER (WHERE recent) AS usage_recent,
        sum(crash_count) FILTER (WHERE recent)
            / nullif(sum(usage_count) FILTER (WHERE recent), 0) AS crash_recent,
        sum(crash_count) FILTER (WHERE NOT recent)
            / nullif(sum(usage_count) FILTER (WHERE NOT recent), 0) AS crash_base,
        sum(error_count) FILTER (WHERE recent)
            / nullif(sum(usage_count) FILTER (WHERE recent), 0) AS error_recent,
        sum(error_count) FILTER (WHERE NOT recent)
            / nullif(sum(usage_count) FILTER (WHERE NOT recent), 0) AS error_base,
        sum(feedback_mean * feedback_count) FILTER (WHERE recent)
            / nullif(sum(feedback_count) FILTER (WHERE recent), 0) AS feedback_recent,
        sum(feedback_mean * feedback_count) FILTER (WHERE NOT recent)
            / nullif(sum(feedback_count) FILTER (WHERE NOT recent), 0) AS feedback_base,
        coalesce(sum(feedback_count) FILTER (WHERE recent), 0) AS feedback_n_recent,
        coalesce(avg(active_users) FILTER (WHERE recent), 0) AS users_exposed
    FROM daily
    GROUP BY feature_id
),
anomalies AS (
    SELECT
        feature_id,
        max(score) AS anomaly_score,
        arg_max(metric || ' ' || replace(kind, '_', ' '), score) AS anomaly_what,
        arg_max(event_date, score) AS anomaly_date
    FROM feature_anomaly
    WHERE event_date <= CAST($score_date AS DATE)
      AND event_date > CAST($score_date AS DATE) - CAST($anomaly_days AS INTEGER)
    GROUP BY feature_id
),
touches AS (
    SELECT CAST(unnest(feature_ids) AS VARCHAR) AS feature_id, deployment_id, deployed_at,
           rollout_pct
    FROM fact_deployment
    WHERE feature_ids IS NOT NULL
      AND deployed_at < CAST($score_date AS DATE) + INTERVAL 1 DAY
),
deployments AS (
    SELECT
        feature_id,
        arg_max(deployment_id, deployed_at) AS deployment_id,
        date_diff('day', CAST(max(deployed_at) AS DATE), CAST($score_date AS DATE))
            AS deploy_days_ago,
        arg_max(rollout_pct, deployed_at) AS rollout_pct
    FROM touches
    GROUP BY feature_id
)
SELECT
    w.*,
    CAST($score_date AS DATE) AS score_date,
    a.anomaly_score,
    a.anomaly_what,
    a.anomaly_date,
    d.deployment_id,
    d.deploy_days_ago,
    d.rollout_pct
FROM windows AS w
LEFT JOIN anomalies AS a USING (feature_id)
LEFT JOIN deployments AS d USING (feature_id)
WHERE w.recent_days > 0
ORDER BY w.feature_id;
