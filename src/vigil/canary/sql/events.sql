-- Events of the two versions inside the judging window (optionally one feature).
SELECT app_version, event_time, feature_id, latency_ms, crashed, error_count, feedback_score
FROM read_parquet($paths, union_by_name = true)
WHERE app_version IN ($baseline, $candidate)
  AND event_time >= $start AND event_time <= $end
  AND ($feature_id IS NULL OR feature_id = $feature_id);
