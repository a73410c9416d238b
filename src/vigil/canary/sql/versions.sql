-- Versions with at least $min_events events in the window, with when each first appeared there.
SELECT app_version, count(*) AS events, min(event_time) AS first_seen
FROM read_parquet($paths, union_by_name = true)
WHERE event_time >= $start AND event_time <= $end AND app_version IS NOT NULL
GROUP BY app_version
HAVING count(*) >= $min_events
ORDER BY first_seen DESC, app_version DESC;
