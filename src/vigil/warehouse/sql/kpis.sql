-- Portfolio KPIs on the latest day of data and on the same weekday one week earlier.
WITH bounds AS (SELECT max(event_date) AS d FROM fact_feature_daily HAVING count(*) > 0),
days AS (
    SELECT d AS event_date, 'current' AS period FROM bounds
    UNION ALL
    SELECT CAST(d - INTERVAL 7 DAY AS DATE), 'previous' FROM bounds
)
SELECT
    days.period,
    days.event_date,
    count(f.feature_id) AS features,
    sum(f.active_users) AS active_users,
    sum(f.usage_count) AS usage_count,
    coalesce(sum(f.crash_count) / nullif(sum(f.usage_count), 0), avg(f.crash_rate)) AS crash_rate,
    coalesce(sum(f.error_count) / nullif(sum(f.usage_count), 0), avg(f.error_rate)) AS error_rate,
    median(f.latency_p95_ms) AS latency_p95_ms,
    coalesce(
        sum(f.feedback_mean * f.feedback_count) / nullif(sum(f.feedback_count), 0),
        avg(f.feedback_mean)
    ) AS feedback_mean
FROM days
LEFT JOIN fact_feature_daily AS f ON f.event_date = days.event_date
GROUP BY ALL
ORDER BY days.period;
