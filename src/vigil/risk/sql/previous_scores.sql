-- Each feature's score on the score date before the latest one (what changed since the last run).
WITH dates AS (
    SELECT DISTINCT score_date FROM feature_risk ORDER BY score_date DESC LIMIT 2
),
previous AS (SELECT min(score_date) AS d, count(*) AS n FROM dates)
SELECT r.feature_id, r.score_date AS prev_score_date, r.risk AS prev_risk, r.tier AS prev_tier
FROM feature_risk AS r
JOIN previous ON r.score_date = previous.d AND previous.n = 2;
