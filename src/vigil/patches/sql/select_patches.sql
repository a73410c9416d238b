-- Releases with their features and outcomes, oldest first (training and scoring input).
SELECT * EXCLUDE (touched_features) FROM fact_patch ORDER BY release_date, firmware_version;
