-- Every release with the deployment that rolled it out (deployments.version = firmware_version).
SELECT r.firmware_version, r.release_date,
       min(d.deployment_id) AS deployment_id, min(d.deployed_at) AS deployed_at
FROM dim_release AS r
LEFT JOIN fact_deployment AS d ON d.version = r.firmware_version
GROUP BY ALL
ORDER BY r.release_date, r.firmware_version;
