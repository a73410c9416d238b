-- Events per episode x day x app version, and the bad ones by the episode's metric: latency above
-- the feature's 28-day p95 on the day before the episode, a crash, an error, feedback <= 2.
-- Days from $pre_days + $window_days before the episode's first day to its last day.
WITH events AS (
    SELECT feature_id, CAST(event_time AS DATE) AS event_date, app_version,
           latency_ms, crashed, error_count, feedback_score
    FROM read_parquet($files, union_by_name = true)
),
scoped AS (
    SELECT e.episode_id, e.metric, e.latency_threshold, v.*
    FROM episode_batch AS e
    JOIN events AS v
      ON v.feature_id = e.feature_id
     AND v.event_date BETWEEN e.start_date - to_days($pre_days + $window_days) AND e.end_date
)
SELECT episode_id, event_date, coalesce(app_version, '') AS app_version,
       count(*) AS events,
       count(*) FILTER (WHERE CASE
           WHEN metric = 'crash_rate' THEN crashed
           WHEN metric = 'error_rate' THEN error_count > 0
           WHEN metric = 'feedback_mean' THEN feedback_score <= 2
           ELSE latency_ms > latency_threshold END) AS bad,
       count(*) FILTER (WHERE metric <> 'feedback_mean' OR feedback_score IS NOT NULL) AS rated
FROM scoped
GROUP BY ALL
ORDER BY episode_id, event_date, app_version;
