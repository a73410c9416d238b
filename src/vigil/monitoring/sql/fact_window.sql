-- Feature-days in the half-open window (start, end].
SELECT *
FROM fact_feature_daily
WHERE event_date > $start AND event_date <= $end
ORDER BY event_date, feature_id;
