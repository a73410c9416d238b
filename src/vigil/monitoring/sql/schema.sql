-- Monitoring: drift verdicts per run and column, one summary row per run, and the stored baseline.
-- Idempotent: every statement is CREATE ... IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS drift_report (
    run_id                  VARCHAR NOT NULL,
    column_name             VARCHAR NOT NULL,
    kind                    VARCHAR NOT NULL,   -- numeric | categorical | binary
    test                    VARCHAR NOT NULL,   -- ks | chi_square | z_test | wasserstein | jensen_shannon | none
    statistic               DOUBLE,
    p_value                 DOUBLE,
    p_value_adjusted        DOUBLE,
    distance                DOUBLE,
    psi                     DOUBLE,
    drifted                 BOOLEAN NOT NULL,
    missing_drift           BOOLEAN NOT NULL,
    verdict                 VARCHAR NOT NULL,   -- drift | no drift | insufficient data
    missing_share_reference DOUBLE,
    missing_share_current   DOUBLE,
    reference_rows          BIGINT,
    current_rows            BIGINT,
    reason                  VARCHAR NOT NULL,
    created_at              TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, column_name)
);

CREATE TABLE IF NOT EXISTS drift_summary (
    run_id            VARCHAR PRIMARY KEY,
    dataset_drift     BOOLEAN NOT NULL,
    drift_share       DOUBLE NOT NULL,
    columns_evaluated BIGINT NOT NULL,
    columns_drifted   BIGINT NOT NULL,
    reference_start   DATE,                     -- first and last days, inclusive
    reference_end     DATE,
    current_start     DATE,
    current_end       DATE,
    reference_rows    BIGINT,
    current_rows      BIGINT,
    summary           VARCHAR NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

-- scope 'column': one row per column over all features; scope 'feature': per feature_id.
CREATE TABLE IF NOT EXISTS drift_baseline (
    scope         VARCHAR NOT NULL,
    feature_id    VARCHAR,
    column_name   VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    present_count BIGINT,
    missing_share DOUBLE,
    mean          DOUBLE,
    std           DOUBLE,
    p05           DOUBLE,
    p50           DOUBLE,
    p95           DOUBLE,
    detail        VARCHAR,                      -- JSON: histogram or category frequencies
    window_start  DATE,
    window_end    DATE,
    run_id        VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
