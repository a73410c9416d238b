-- Deployments that touched one feature (annotations on the time axis).
SELECT deployment_id, deployed_at, version, rollout_pct
FROM fact_deployment
WHERE list_contains(feature_ids, $feature_id)
ORDER BY deployed_at;
