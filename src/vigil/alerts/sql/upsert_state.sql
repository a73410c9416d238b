-- Write one key's state (insert or replace).
INSERT OR REPLACE INTO alert_state (
    dedup_key, rule, subject, label, severity, message, status, notified, opened_at,
    last_notified_at, resolved_at, updated_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
