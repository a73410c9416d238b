-- Features whose latest day crosses a degradation threshold against their own 28-day baseline.
-- latency_p95_delta_pct is in percent, crash_rate_delta_pp in percentage points.
SELECT
    d.feature_id,
    coalesce(f.feature_name, d.feature_id) AS feature_name,
    f.owner_team,
    d.event_date,
    d.latency_p95_delta_pct,
    d.crash_rate_delta_pp,
    d.feedback_delta,
    d.active_users
FROM fact_feature_daily AS d
LEFT JOIN dim_feature AS f USING (feature_id)
WHERE d.event_date = (SELECT max(event_date) FROM fact_feature_daily)
  AND (
      d.latency_p95_delta_pct >= $latency_pct
      OR d.crash_rate_delta_pp >= $crash_pp
      OR d.feedback_delta <= -$feedback_drop
  )
ORDER BY d.active_users DESC NULLS LAST, d.feature_id;
