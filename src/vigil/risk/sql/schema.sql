-- Feature risk: one row per feature and score date, rewritten whole on every scoring run.
CREATE TABLE IF NOT EXISTS feature_risk (
    feature_id    VARCHAR NOT NULL,
    score_date    DATE NOT NULL,
    risk          DOUBLE NOT NULL,
    impact        DOUBLE NOT NULL,
    users_exposed DOUBLE NOT NULL,
    tier          VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    top_factors   JSON,
    model_version VARCHAR,
    run_id        VARCHAR,
    PRIMARY KEY (feature_id, score_date)
);
