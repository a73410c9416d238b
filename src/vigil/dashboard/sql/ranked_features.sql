-- Latest risk score per feature with its descriptors, ordered by impact (risk x users exposed).
WITH latest AS (SELECT max(score_date) AS d FROM feature_risk)
SELECT
    r.feature_id,
    coalesce(f.feature_name, r.feature_id) AS feature_name,
    f.owner_team,
    f.lifecycle_stage,
    f.platform,
    r.score_date,
    r.risk,
    r.impact,
    r.users_exposed,
    r.tier,
    r.reason,
    r.model_version
FROM feature_risk AS r
JOIN latest ON r.score_date = latest.d
LEFT JOIN dim_feature AS f USING (feature_id)
ORDER BY r.impact DESC NULLS LAST, r.risk DESC, r.feature_id;
