-- Each episode's latency threshold: the feature's trailing 28-day p95 on the last day before
-- the episode that has one (null when the feature has no earlier day).
SELECT e.episode_id, f.latency_p95_28d AS latency_threshold
FROM episode_batch AS e
ASOF LEFT JOIN (
    SELECT feature_id, event_date, latency_p95_28d
    FROM fact_feature_daily WHERE latency_p95_28d IS NOT NULL
) AS f
  ON e.feature_id = f.feature_id AND e.start_date > f.event_date
ORDER BY e.episode_id;
