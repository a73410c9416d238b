-- The first day the detectors score: $min_samples days of history after the first feature day.
SELECT CAST(min(event_date) + to_days($min_samples) AS DATE) AS observed_from
FROM fact_feature_daily;
