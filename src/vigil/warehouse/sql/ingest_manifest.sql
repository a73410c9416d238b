-- Files ingested, newest first.
SELECT * FROM ingest_manifest ORDER BY loaded_at DESC;
