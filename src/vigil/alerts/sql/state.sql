-- Every dedup key's state.
SELECT dedup_key, rule, subject, label, severity, message, status, notified, opened_at,
       last_notified_at, resolved_at
FROM alert_state;
