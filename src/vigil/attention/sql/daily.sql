-- Each feature's day $day: users over 7 days, its name, and the measures past a degradation
-- threshold against its own 28-day baseline (latency in percent, crash rate in points).
SELECT
    d.feature_id,
    coalesce(f.feature_name, d.feature_id) AS feature_name,
    d.active_users_7d,
    d.latency_p95_delta_pct,
    d.crash_rate_delta_pp,
    d.feedback_delta,
    coalesce(d.latency_p95_delta_pct >= $latency_pct, FALSE) AS latency_crossed,
    coalesce(d.crash_rate_delta_pp >= $crash_pp, FALSE) AS crash_crossed,
    coalesce(d.feedback_delta <= -$feedback_drop, FALSE) AS feedback_crossed
FROM fact_feature_daily AS d
LEFT JOIN dim_feature AS f USING (feature_id)
WHERE d.event_date = $day;
