-- When each app version was first deployed: the order of the firmware history.
SELECT version AS app_version, min(deployed_at) AS version_deployed_at
FROM fact_deployment
WHERE version IS NOT NULL
GROUP BY ALL
ORDER BY version_deployed_at;
