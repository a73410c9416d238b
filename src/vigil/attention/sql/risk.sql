-- Feature-risk scores of the latest score date on or before $day: one row per feature.
SELECT feature_id, score_date, risk, users_exposed, tier, reason
FROM feature_risk
WHERE score_date = (SELECT max(score_date) FROM feature_risk WHERE score_date <= $day);
