-- Model inputs per feature-day, from values known at the end of that day only: trailing windows
-- over the past, the last deployment on or before the day, that release's pre-release metrics,
-- and every deployment touching the feature in the last 3 / 7 / 14 / 28 days (count, change size,
-- rollout share, and patch risk as scored on its own release date: risk_patch), and the highest
-- patch risk by deployment age (0, 1, 2 and 3-6 days), the deployment hazard's inputs.
-- Latency is expressed relative to the feature's own baseline so features of any speed compare.
WITH windows AS (
    SELECT
        b.*,
        avg(latency_p95_ms) OVER w3 / nullif(p95_base, 0) AS p95_3d_ratio,
        avg(latency_p95_ms) OVER w7 / nullif(p95_base, 0) AS p95_7d_ratio,
        latency_p95_ms / nullif(max(latency_p95_ms) OVER w7, 0) AS p95_vs_7d_max,
        sum(crash_count) OVER w3 / nullif(sum(usage_count) OVER w3, 0) AS crash_rate_3d,
        sum(error_count) OVER w3 / nullif(sum(usage_count) OVER w3, 0) AS error_rate_3d,
        sum(feedback_mean * feedback_count) OVER w3
            / nullif(sum(CASE WHEN feedback_mean IS NOT NULL THEN feedback_count END) OVER w3, 0)
            AS feedback_3d,
        regr_slope(latency_p95_ms, day_n) OVER w3 / nullif(p95_base, 0) AS p95_slope_3d,
        regr_slope(latency_p95_ms, day_n) OVER w7 / nullif(p95_base, 0) AS p95_slope_7d,
        regr_slope(latency_p95_ms, day_n) OVER w14 / nullif(p95_base, 0) AS p95_slope_14d,
        stddev_samp(latency_p95_ms) OVER w14 / nullif(p95_base, 0) AS p95_volatility_14d,
        sum(crash_count) OVER w7 / nullif(sum(usage_count) OVER w7, 0) AS crash_rate_7d,
        regr_slope(crash_rate_day, day_n) OVER w7 * 100 AS crash_slope_7d,
        sum(error_count) OVER w7 / nullif(sum(usage_count) OVER w7, 0) AS error_rate_7d,
        regr_slope(error_rate_day, day_n) OVER w7 * 100 AS error_slope_7d,
        sum(feedback_mean * feedback_count) OVER w7
            / nullif(sum(CASE WHEN feedback_mean IS NOT NULL THEN feedback_count END) OVER w7, 0)
            AS feedback_7d,
        regr_slope(feedback_mean, day_n) OVER w14 AS feedback_slope_14d,
        avg(active_users) OVER w7 AS users_7d
    FROM risk_baseline AS b
    WINDOW
        w3 AS (PARTITION BY feature_id ORDER BY day_n RANGE BETWEEN 2 PRECEDING AND CURRENT ROW),
        w7 AS (PARTITION BY feature_id ORDER BY day_n RANGE BETWEEN 6 PRECEDING AND CURRENT ROW),
        w14 AS (PARTITION BY feature_id ORDER BY day_n RANGE BETWEEN 13 PRECEDING AND CURRENT ROW)
),
touches AS (
    SELECT
        CAST(unnest(feature_ids) AS VARCHAR) AS feature_id,
        CAST(deployed_at AS DATE) AS deploy_date,
        deployed_at,
        version,
        rollout_pct
    FROM fact_deployment
),
recent AS (
    -- deployments touching the feature in the 28 days up to and including the score date
    SELECT
        d.feature_id,
        d.event_date,
        count(*) FILTER (WHERE d.age <= 2) AS deploys_3d,
        count(*) FILTER (WHERE d.age <= 6) AS deploys_7d,
        count(*) FILTER (WHERE d.age <= 13) AS deploys_14d,
        count(*) AS deploys_28d,
        max(p.patch_risk) FILTER (WHERE d.age <= 2) AS deploy_risk_max_3d,
        max(p.patch_risk) FILTER (WHERE d.age <= 6) AS deploy_risk_max_7d,
        max(p.patch_risk) FILTER (WHERE d.age <= 13) AS deploy_risk_max_14d,
        max(p.patch_risk * coalesce(d.rollout_pct, 100) / 100) FILTER (WHERE d.age <= 6)
            AS deploy_exposed_risk_7d,
        max(r.code_churn) FILTER (WHERE d.age <= 2) AS deploy_churn_max_3d,
        sum(r.code_churn) FILTER (WHERE d.age <= 6) AS deploy_churn_sum_7d,
        sum(r.code_churn) FILTER (WHERE d.age <= 13) AS deploy_churn_sum_14d,
        max(r.files_changed) FILTER (WHERE d.age <= 6) AS deploy_files_max_7d,
        max(d.rollout_pct) FILTER (WHERE d.age <= 6) AS deploy_rollout_max_7d,
        min(d.age) FILTER (WHERE d.age <= 13) AS deploy_days_since_min_14d,
        max(p.patch_risk) FILTER (WHERE d.age = 0) AS deploy_risk_age_0d,
        max(p.patch_risk) FILTER (WHERE d.age = 1) AS deploy_risk_age_1d,
        max(p.patch_risk) FILTER (WHERE d.age = 2) AS deploy_risk_age_2d,
        max(p.patch_risk) FILTER (WHERE d.age BETWEEN 3 AND 6) AS deploy_risk_age_3_6d
    FROM (
        SELECT
            t.feature_id,
            t.version,
            t.rollout_pct,
            b.event_date,
            date_diff('day', t.deploy_date, b.event_date) AS age
        FROM touches AS t
        JOIN risk_baseline AS b
            ON b.feature_id = t.feature_id
            AND b.event_date BETWEEN t.deploy_date AND t.deploy_date + 27
    ) AS d
    LEFT JOIN dim_release AS r ON r.firmware_version = d.version
    LEFT JOIN risk_patch AS p ON p.firmware_version = d.version
    GROUP BY d.feature_id, d.event_date
),
last_touch AS (
    -- one deployment per feature and day: the latest of that day
    SELECT
        feature_id,
        deploy_date,
        arg_max(version, deployed_at) AS version,
        arg_max(rollout_pct, deployed_at) AS rollout_pct
    FROM touches
    GROUP BY feature_id, deploy_date
)
SELECT
    w.feature_id,
    w.event_date AS score_date,
    w.history_days,
    coalesce(w.users_7d, 0) AS users_exposed,
    w.latency_p95_ms / nullif(w.p95_base, 0) AS p95_ratio,
    w.p95_3d_ratio,
    w.p95_slope_3d,
    w.p95_slope_7d,
    w.p95_slope_14d,
    w.p95_volatility_14d,
    w.crash_rate_7d * 100 AS crash_rate_7d_pct,
    (w.crash_rate_7d - w.crash_base) * 100 AS crash_delta_pp,
    w.crash_slope_7d,
    w.error_rate_7d * 100 AS error_rate_7d_pct,
    w.error_rate_7d / nullif(w.error_base, 0) AS error_ratio,
    w.error_slope_7d,
    w.feedback_7d,
    w.feedback_7d - w.feedback_base AS feedback_delta,
    w.feedback_slope_14d,
    w.users_7d / nullif(w.users_base, 0) - 1 AS usage_growth,
    CASE lower(f.lifecycle_stage)
        WHEN 'alpha' THEN 0 WHEN 'beta' THEN 1 WHEN 'ga' THEN 2 WHEN 'deprecated' THEN 3
    END AS lifecycle_code,
    date_diff('day', f.release_date, w.event_date) AS feature_age_days,
    date_diff('day', t.deploy_date, w.event_date) AS days_since_deploy,
    t.rollout_pct AS deploy_rollout_pct,
    r.files_changed AS release_files_changed,
    r.code_churn AS release_code_churn,
    r.lines_added + r.lines_deleted AS release_lines_changed,
    r.patch_size_mb AS release_size_mb,
    r.prev_error_rate AS release_prev_error_rate,
    p.patch_risk AS release_patch_risk,
    w.p95_7d_ratio,
    w.crash_rate_3d / nullif(w.crash_base, 0) AS crash_3d_ratio,
    w.error_rate_3d / nullif(w.error_base, 0) AS error_3d_ratio,
    (w.feedback_base - w.feedback_3d) / nullif(w.feedback_base, 0) AS feedback_3d_drop,
    w.p95_vs_7d_max,
    w.crash_rate_3d / nullif(w.crash_rate_7d, 0) AS crash_3d_vs_7d,
    w.error_rate_3d / nullif(w.error_rate_7d, 0) AS error_3d_vs_7d,
    w.feedback_3d - w.feedback_7d AS feedback_3d_vs_7d,
    coalesce(n.deploys_3d, 0) AS deploys_3d,
    coalesce(n.deploys_7d, 0) AS deploys_7d,
    coalesce(n.deploys_14d, 0) AS deploys_14d,
    coalesce(n.deploys_28d, 0) AS deploys_28d,
    ln(1 + coalesce(w.users_7d, 0)) AS users_7d_log,
    n.deploy_risk_max_3d,
    n.deploy_risk_max_7d,
    n.deploy_risk_max_14d,
    n.deploy_exposed_risk_7d,
    n.deploy_churn_max_3d,
    n.deploy_churn_sum_7d,
    n.deploy_churn_sum_14d,
    n.deploy_files_max_7d,
    n.deploy_rollout_max_7d,
    n.deploy_days_since_min_14d,
    n.deploy_risk_age_0d,
    n.deploy_risk_age_1d,
    n.deploy_risk_age_2d,
    n.deploy_risk_age_3_6d
FROM windows AS w
LEFT JOIN dim_feature AS f ON f.feature_id = w.feature_id
ASOF LEFT JOIN last_touch AS t
    ON t.feature_id = w.feature_id AND w.event_date >= t.deploy_date
LEFT JOIN dim_release AS r ON r.firmware_version = t.version
LEFT JOIN risk_patch AS p ON p.firmware_version = t.version
LEFT JOIN recent AS n ON n.feature_id = w.feature_id AND n.event_date = w.event_date
ORDER BY w.feature_id, w.event_date;
