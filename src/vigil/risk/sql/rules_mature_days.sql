-- Distinct days whose feature-risk label is mature: day + $horizon is within the data (the rule
-- labels.sql uses), and no later than the last complete day $cutoff.
SELECT count(DISTINCT event_date)
FROM fact_feature_daily
WHERE event_date + CAST($horizon AS INTEGER)
      <= least((SELECT max(event_date) FROM fact_feature_daily), CAST($cutoff AS DATE));
