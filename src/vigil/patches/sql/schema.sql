-- Patch stability tables. Idempotent: every statement is CREATE ... IF NOT EXISTS.

-- One row per firmware release: what was known before release, what happened after, and risk.
CREATE TABLE IF NOT EXISTS fact_patch (
    firmware_version            VARCHAR PRIMARY KEY,
    release_date                DATE NOT NULL,
    patch_type                  VARCHAR,
    patch_size_mb               DOUBLE,
    files_changed               DOUBLE,
    lines_added                 DOUBLE,
    lines_deleted               DOUBLE,
    code_churn                  DOUBLE,
    prev_error_rate             DOUBLE,
    mean_device_age_days        DOUBLE,
    n_touched_features          INTEGER,
    touched_features            VARCHAR[],
    exposed_devices             DOUBLE,
    pre_error_rate_per_10k      DOUBLE,   -- fleet errors per 10k device-days, pre-release window
    error_rate_per_10k          DOUBLE,   -- outcome per 10k device-days: given, or from events
    rma_rate                    DOUBLE,   -- outcome: given, or computed from support tickets
    outcome_source              VARCHAR,  -- given | events | NULL (not mature yet)
    outcome_mature              BOOLEAN NOT NULL,
    expected_error_rate_per_10k DOUBLE,   -- regressor's prediction
    risk                        DOUBLE,   -- P(high risk) from the champion classifier
    tier                        VARCHAR,  -- high | marginal | low
    reasons                     VARCHAR,
    model_version               INTEGER,
    scored_at                   TIMESTAMP
);

-- Device model x firmware x day: the stability curve of each release.
CREATE TABLE IF NOT EXISTS fact_device_daily (
    device_model       VARCHAR,
    firmware_version   VARCHAR NOT NULL,
    event_date         DATE NOT NULL,
    days_since_release INTEGER,
    devices            DOUBLE,   -- exposed devices: devices of the model x rollout share
    errors             BIGINT,
    rma_count          BIGINT,
    error_rate_per_10k DOUBLE,   -- errors per 10k devices that day (= per 10k device-days)
    rma_rate           DOUBLE
);

-- Release x its own release date: patch risk from a model trained only on releases whose
-- outcome window had closed by then (walk-forward; read by feature risk as an input).
CREATE TABLE IF NOT EXISTS patch_risk_asof (
    firmware_version VARCHAR PRIMARY KEY,
    release_date     DATE NOT NULL,
    patch_risk_asof  DOUBLE   -- NULL while too few outcomes had matured
);
