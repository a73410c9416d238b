-- First and last event of each of the two versions in the landed telemetry.
SELECT app_version, min(event_time) AS first_seen, max(event_time) AS last_seen, count(*) AS events
FROM read_parquet($paths, union_by_name = true)
WHERE app_version IN ($baseline, $candidate)
  AND ($feature_id IS NULL OR feature_id = $feature_id)
GROUP BY app_version;
