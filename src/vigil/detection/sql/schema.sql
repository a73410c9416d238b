CREATE TABLE IF NOT EXISTS feature_anomaly (
    feature_id    VARCHAR NOT NULL,
    event_date    DATE NOT NULL,
    metric        VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    score         DOUBLE NOT NULL,
    deployment_id VARCHAR,
    message       VARCHAR,
    run_id        VARCHAR,
    PRIMARY KEY (feature_id, event_date, metric)
);
