-- Every feature with daily data and its catalogue name (the id when the catalogue lacks it).
SELECT d.feature_id, coalesce(f.feature_name, d.feature_id) AS feature_name
FROM (SELECT DISTINCT feature_id FROM fact_feature_daily) AS d
LEFT JOIN dim_feature AS f USING (feature_id)
ORDER BY feature_name, d.feature_id;
