-- Features per risk tier on the latest score date and on the score date before it.
WITH dates AS (
    SELECT DISTINCT score_date FROM feature_risk ORDER BY score_date DESC LIMIT 2
),
ranked AS (
    SELECT score_date, row_number() OVER (ORDER BY score_date DESC) AS rn FROM dates
)
SELECT
    CASE WHEN ranked.rn = 1 THEN 'current' ELSE 'previous' END AS period,
    ranked.score_date,
    r.tier,
    count(*) AS features,
    sum(r.impact) AS impact
FROM feature_risk AS r
JOIN ranked USING (score_date)
GROUP BY ALL
ORDER BY period, r.tier;
