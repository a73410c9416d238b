-- Outcomes the user supplied in releases.csv (dim_release), as release_outcome rows.
SELECT firmware_version, 'file' AS source, release_date, true AS mature,
       CAST(NULL AS BOOLEAN) AS high_risk, CAST(NULL AS DOUBLE) AS confidence,
       CAST(NULL AS INTEGER) AS regressions, CAST(NULL AS VARCHAR) AS features,
       error_rate_per_10k, rma_rate,
       'releases.csv: ' || printf('%.4g', error_rate_per_10k) || ' errors per 10k device-days'
           || coalesce(', RMA rate ' || printf('%.3g', rma_rate), '') AS evidence
FROM dim_release
WHERE error_rate_per_10k IS NOT NULL
ORDER BY release_date, firmware_version;
