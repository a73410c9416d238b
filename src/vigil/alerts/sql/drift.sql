-- The latest monitoring run's dataset-drift verdict.
SELECT run_id, dataset_drift, columns_drifted, columns_evaluated, summary, current_start, current_end
FROM drift_summary
ORDER BY created_at DESC
LIMIT 1;
