-- Every deployment rolled out in the $window_days days before an episode's first day (a
-- deployment later that same day counts: the day's data covers it), whether it touched the
-- episode's feature or not.
SELECT e.episode_id, d.deployment_id, d.version AS firmware_version, d.deployed_at,
       date_diff('day', CAST(d.deployed_at AS DATE), e.start_date) AS days_since,
       coalesce(list_contains(d.feature_ids, e.feature_id), false) AS touched
FROM episode_batch AS e
JOIN fact_deployment AS d
  ON d.deployed_at < CAST(e.start_date AS TIMESTAMP) + INTERVAL 1 DAY
 AND CAST(d.deployed_at AS DATE) >= e.start_date - to_days($window_days)
ORDER BY e.episode_id, d.deployed_at, d.deployment_id;
