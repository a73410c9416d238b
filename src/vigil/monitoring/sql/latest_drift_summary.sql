-- The most recent run that wrote a drift report.
SELECT *
FROM drift_summary
ORDER BY created_at DESC, run_id DESC
LIMIT 1;
