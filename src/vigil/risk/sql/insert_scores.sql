-- Land a batch of scores registered as risk_incoming.
INSERT INTO feature_risk BY NAME
SELECT
    feature_id,
    score_date,
    risk,
    impact,
    users_exposed,
    tier,
    reason,
    CAST(top_factors AS JSON) AS top_factors,
    model_version,
    run_id
FROM risk_incoming;
