-- Features inside the latest attention list's budget whose feature risk (latest score on or before
-- the list's day) is in the act-now tier, with their traffic over the 7 days ending on that day.
WITH listed AS (
    SELECT as_of_date, item_key AS feature_id, title, rank, probability
    FROM attention_item
    WHERE as_of_date = (SELECT max(as_of_date) FROM attention_item)
      AND kind = 'feature'
      AND in_budget
),
risk AS (
    SELECT feature_id, risk, tier, reason
    FROM feature_risk
    WHERE score_date = (
        SELECT max(score_date) FROM feature_risk
        WHERE score_date <= (SELECT max(as_of_date) FROM listed)
    )
),
traffic AS (
    SELECT l.feature_id, avg(d.active_users) AS users, sum(d.usage_count) AS events
    FROM listed AS l
    JOIN fact_feature_daily AS d
      ON d.feature_id = l.feature_id
     AND d.event_date BETWEEN l.as_of_date - 6 AND l.as_of_date
    GROUP BY l.feature_id
)
SELECT l.*, r.risk, r.reason, coalesce(t.users, 0) AS users, coalesce(t.events, 0) AS events
FROM listed AS l
JOIN risk AS r USING (feature_id)
LEFT JOIN traffic AS t USING (feature_id)
WHERE r.tier = 'act_now'
ORDER BY l.rank;
