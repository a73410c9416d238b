-- Landed event-grain telemetry files covering [$first, $last].
SELECT DISTINCT path FROM landing_file
WHERE input = 'telemetry' AND event_date BETWEEN $first AND $last
ORDER BY path;
