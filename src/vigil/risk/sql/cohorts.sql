-- Latest risk aggregated by a feature descriptor ({by} is substituted from a fixed allow-list).
WITH latest AS (SELECT max(score_date) AS d FROM feature_risk)
SELECT
    coalesce(CAST(f.{by} AS VARCHAR), 'unknown') AS cohort,
    count(*) AS features,
    avg(r.risk) AS mean_risk,
    sum(r.impact) AS impact,
    count(*) FILTER (WHERE r.tier = 'act_now') AS act_now,
    count(*) FILTER (WHERE r.tier = 'investigate') AS investigate
FROM feature_risk AS r
JOIN latest ON r.score_date = latest.d
LEFT JOIN dim_feature AS f USING (feature_id)
GROUP BY ALL
ORDER BY impact DESC NULLS LAST;
