-- Closing the loop (vigil.outcomes). Both tables are rebuilt whole by each run's outcomes stage.
-- regression_attribution: every candidate release of every observed regression episode, with its
-- evidence, its confidence and whether it was picked.
CREATE TABLE IF NOT EXISTS regression_attribution (
    episode_id       VARCHAR NOT NULL,   -- <feature_id>@<first anomaly day>
    feature_id       VARCHAR NOT NULL,
    start_date       DATE NOT NULL,      -- first anomaly day of the episode
    end_date         DATE NOT NULL,      -- last anomaly day
    metric           VARCHAR NOT NULL,   -- the episode's strongest regression metric
    anomaly_days     INTEGER NOT NULL,
    peak_score       DOUBLE NOT NULL,
    deployment_id    VARCHAR NOT NULL,
    firmware_version VARCHAR,            -- the deployment's version
    deployed_at      TIMESTAMP NOT NULL,
    days_since       INTEGER NOT NULL,   -- rollout day to the episode's first day
    touched          BOOLEAN NOT NULL,   -- the release touched the episode's feature
    dose             DOUBLE,             -- corr(bad-event rate, the release's share of events)
    version_lift     DOUBLE,             -- bad-event rate on the version / on every other one
    exposure         DOUBLE,             -- the version's share of the feature's episode events
    confidence       DOUBLE NOT NULL,
    rank             INTEGER NOT NULL,   -- 1 = the most likely cause of this episode
    attributed       BOOLEAN NOT NULL,   -- rank 1 and confidence >= outcomes.min_confidence
    run_id           VARCHAR,
    PRIMARY KEY (episode_id, deployment_id)
);

-- One outcome per release and source: telemetry (attributed regressions) or file (releases.csv).
CREATE TABLE IF NOT EXISTS release_outcome (
    firmware_version   VARCHAR NOT NULL,
    source             VARCHAR NOT NULL,  -- telemetry | file
    release_date       DATE,
    mature             BOOLEAN NOT NULL,  -- the outcome is final (its window has closed)
    high_risk          BOOLEAN,           -- telemetry: caused >= 1 attributed regression;
                                          -- file: NULL (patches.high_risk decides at training)
    confidence         DOUBLE,            -- telemetry: the best attribution's confidence
    regressions        INTEGER,           -- telemetry: attributed episodes
    features           VARCHAR,           -- telemetry: their features, ';'-separated
    error_rate_per_10k DOUBLE,            -- file: as given
    rma_rate           DOUBLE,            -- file: as given
    evidence           VARCHAR NOT NULL,  -- one readable line
    run_id             VARCHAR,
    PRIMARY KEY (firmware_version, source)
);
