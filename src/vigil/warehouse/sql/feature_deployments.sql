-- Deployments that touched one feature (annotations on its time axis).
SELECT deployment_id, deployed_at, version, rollout_pct
FROM fact_deployment
WHERE list_contains(feature_ids, $feature_id)
UNION ALL  -- added with `vigil annotate deployment add` (NULL feature: every feature)
SELECT annotation_id, started_at, text, NULL
FROM annotation
WHERE kind = 'deployment' AND (feature_id IS NULL OR feature_id = $feature_id)
ORDER BY deployed_at;
