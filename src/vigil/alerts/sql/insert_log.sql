-- Append one notice to the log.
INSERT INTO alert_log (
    run_id, evaluated_at, rule, subject, severity, dedup_key, action, destination, attempts,
    outcome, status_code, error, message, opened_at, delivered_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
