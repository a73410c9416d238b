-- The latest $limit notices, newest first (the dashboard's "recent alerts").
SELECT evaluated_at, rule, subject, severity, action, destination, outcome, attempts,
       status_code, error, message, dedup_key, delivered_at
FROM alert_log
ORDER BY evaluated_at DESC, delivered_at DESC NULLS LAST, dedup_key, destination
LIMIT $limit;
