-- Rows the run recomputes: every day from the first affected one ($since NULL = all days).
DELETE FROM feature_anomaly
WHERE $since IS NULL OR event_date >= $since;
