-- Attach to each anomaly the nearest deployment that touched its feature on or before its day
-- (a deployment later the same day still counts: the daily row covers the whole day), but only
-- when it happened at most $blame_days days before the anomaly's day; older ones are not blamed.
WITH touched AS (
    SELECT deployment_id, deployed_at, unnest(feature_ids) AS feature_id
    FROM fact_deployment
    WHERE feature_ids IS NOT NULL
    UNION ALL  -- deployments added with `vigil annotate deployment add` (NULL feature: all)
    SELECT a.annotation_id, a.started_at, b.feature_id
    FROM annotation AS a
    JOIN (SELECT DISTINCT feature_id FROM anomaly_batch) AS b
        ON a.feature_id IS NULL OR a.feature_id = b.feature_id
    WHERE a.kind = 'deployment'
),
found AS (
    SELECT a.*, CAST(a.event_date AS TIMESTAMP) + INTERVAL 1 DAY AS day_end
    FROM anomaly_batch AS a
),
nearest AS (
    SELECT f.feature_id, f.event_date, f.metric, f.kind, f.score, f.value, f.baseline,
           t.deployment_id, t.deployed_at
    FROM found AS f
    ASOF LEFT JOIN touched AS t
        ON f.feature_id = t.feature_id AND f.day_end > t.deployed_at
)
SELECT feature_id, event_date, metric, kind, score, value, baseline,
       CASE WHEN within THEN deployment_id END AS deployment_id,
       CASE WHEN within THEN deployed_at END AS deployed_at
FROM (
    SELECT *,
           date_diff('day', CAST(deployed_at AS DATE), event_date) <= $blame_days AS within
    FROM nearest
)
ORDER BY feature_id, event_date, metric;
