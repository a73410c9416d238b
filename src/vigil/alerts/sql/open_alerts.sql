-- Keys firing now, most urgent first.
SELECT rule, subject, label, severity, message, notified, opened_at, last_notified_at
FROM alert_state
WHERE status = 'firing'
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END,
         opened_at, dedup_key;
