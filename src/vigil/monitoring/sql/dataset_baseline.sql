-- The dataset-level column baselines (not the per-feature ones), by column.
SELECT * EXCLUDE (feature_id)
FROM drift_baseline
WHERE feature_id IS NULL
ORDER BY column_name;
