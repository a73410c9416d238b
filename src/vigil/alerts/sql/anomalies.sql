-- Per feature, the strongest anomaly of the last $lookback days of data scoring at least
-- $min_score, how many there were, and the feature's traffic over the 7 days ending on its day.
WITH last_day AS (
    SELECT max(event_date) AS day FROM fact_feature_daily
),
strongest AS (
    SELECT
        a.feature_id,
        count(*) AS n_anomalies,
        max(a.score) AS score,
        arg_max(a.event_date, a.score) AS event_date,
        arg_max(a.metric, a.score) AS metric,
        arg_max(a.kind, a.score) AS kind,
        arg_max(a.message, a.score) AS message
    FROM feature_anomaly AS a, last_day
    WHERE a.event_date > last_day.day - CAST($lookback AS INTEGER)
      AND a.event_date <= last_day.day
      AND a.score >= $min_score
    GROUP BY a.feature_id
),
traffic AS (
    SELECT s.feature_id, avg(d.active_users) AS users, sum(d.usage_count) AS events
    FROM strongest AS s
    JOIN fact_feature_daily AS d
      ON d.feature_id = s.feature_id
     AND d.event_date BETWEEN s.event_date - 6 AND s.event_date
    GROUP BY s.feature_id
)
SELECT
    s.*,
    coalesce(f.feature_name, s.feature_id) AS feature_name,
    coalesce(t.users, 0) AS users,
    coalesce(t.events, 0) AS events
FROM strongest AS s
LEFT JOIN dim_feature AS f USING (feature_id)
LEFT JOIN traffic AS t USING (feature_id)
ORDER BY s.score DESC, s.feature_id;
