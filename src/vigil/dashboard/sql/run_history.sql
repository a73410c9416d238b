-- The most recent runs, newest first.
SELECT *
FROM run_history
ORDER BY started_at DESC
LIMIT $limit;
