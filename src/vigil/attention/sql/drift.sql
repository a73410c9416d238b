-- The latest monitoring run's dataset-drift verdict.
SELECT dataset_drift, columns_drifted, columns_evaluated, summary
FROM drift_summary
ORDER BY created_at DESC
LIMIT 1;
