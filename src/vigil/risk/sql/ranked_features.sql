-- The dashboard's ranked list: scores of one day (the latest when $score_date is NULL)
-- joined with the feature catalogue, highest impact first.
WITH chosen AS (
    SELECT coalesce(CAST($score_date AS DATE), (SELECT max(score_date) FROM feature_risk)) AS day
)
SELECT
    r.feature_id,
    f.feature_name,
    f.owner_team,
    f.lifecycle_stage,
    f.platform,
    r.score_date,
    r.risk,
    r.impact,
    r.users_exposed,
    r.tier,
    r.reason,
    CAST(r.top_factors AS VARCHAR) AS top_factors,
    r.model_version,
    r.run_id
FROM feature_risk AS r
JOIN chosen AS c ON r.score_date = c.day
LEFT JOIN dim_feature AS f ON f.feature_id = r.feature_id
ORDER BY r.impact DESC, r.risk DESC, r.feature_id;
