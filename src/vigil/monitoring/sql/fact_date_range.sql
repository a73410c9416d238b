-- The days fact_feature_daily covers.
SELECT min(event_date) AS first_date, max(event_date) AS last_date, count(*) AS n_rows
FROM fact_feature_daily;
