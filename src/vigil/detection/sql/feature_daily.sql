-- Every feature's daily metrics the feature-series detector reads (whole history: baselines are
-- causal, so recomputing day d needs the days before it).
SELECT feature_id, event_date, latency_p95_ms, crash_rate, error_rate, feedback_mean, usage_count
FROM fact_feature_daily
ORDER BY feature_id, event_date;
