-- Anomalies in a bad direction on the metrics a release can regress (usage drops are left out:
-- they follow missing data as often as a regression), complete days only.
SELECT feature_id, event_date, metric, kind, score
FROM feature_anomaly
WHERE event_date <= $through
  AND (
      (metric IN ('latency_p95_ms', 'crash_rate', 'error_rate')
       AND kind IN ('spike', 'level_shift_up', 'trend_up'))
      OR (metric = 'feedback_mean' AND kind IN ('drop', 'level_shift_down', 'trend_down'))
      OR metric = 'latency_p95_ms+feedback_mean'
  )
ORDER BY feature_id, event_date, metric;
