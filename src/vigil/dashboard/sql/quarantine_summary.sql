-- Quarantined rows by input and reason.
SELECT input, reason, count(*) AS rows, max(quarantined_at) AS last_seen
FROM quarantine
GROUP BY ALL
ORDER BY rows DESC;
