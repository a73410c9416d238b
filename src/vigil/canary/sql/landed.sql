-- Landed telemetry files (event grain), optionally only those of days from $first_day on.
SELECT path
FROM landing_file
WHERE input = 'telemetry' AND event_date >= coalesce(CAST($first_day AS DATE), DATE '0001-01-01')
ORDER BY event_date, path;
