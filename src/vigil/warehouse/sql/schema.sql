-- Core star schema: dimensions, annotations, raw device data, daily facts, bookkeeping.
-- Idempotent: every statement is CREATE ... IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS dim_feature (
    feature_id      VARCHAR PRIMARY KEY,
    feature_name    VARCHAR,
    owner_team      VARCHAR,
    lifecycle_stage VARCHAR,
    release_date    DATE,
    platform        VARCHAR
);

CREATE TABLE IF NOT EXISTS dim_device (
    device_id       VARCHAR PRIMARY KEY,
    device_model    VARCHAR,
    first_seen_date DATE,
    region          VARCHAR
);

CREATE TABLE IF NOT EXISTS dim_release (
    firmware_version     VARCHAR PRIMARY KEY,
    release_date         DATE NOT NULL,
    patch_type           VARCHAR,
    patch_size_mb        DOUBLE,
    files_changed        DOUBLE,
    lines_added          DOUBLE,
    lines_deleted        DOUBLE,
    code_churn           DOUBLE,
    prev_error_rate      DOUBLE,
    mean_device_age_days DOUBLE,
    touched_features     VARCHAR[],
    error_rate_per_10k   DOUBLE,
    rma_rate             DOUBLE
);

CREATE TABLE IF NOT EXISTS fact_deployment (
    deployment_id VARCHAR PRIMARY KEY,
    deployed_at   TIMESTAMP NOT NULL,
    version       VARCHAR,
    rollout_pct   DOUBLE,
    feature_ids   VARCHAR[]
);

CREATE TABLE IF NOT EXISTS fact_incident (
    incident_id VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    feature_ids VARCHAR[],
    severity    VARCHAR,
    title       VARCHAR
);

CREATE TABLE IF NOT EXISTS raw_device_event (
    device_id        VARCHAR NOT NULL,
    event_time       TIMESTAMP NOT NULL,
    firmware_version VARCHAR NOT NULL,
    error_code       VARCHAR,
    severity         VARCHAR,
    device_model     VARCHAR,
    region           VARCHAR
);

CREATE TABLE IF NOT EXISTS raw_support_ticket (
    ticket_id  VARCHAR PRIMARY KEY,
    device_id  VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    error_code VARCHAR,
    is_rma     BOOLEAN
);

CREATE TABLE IF NOT EXISTS fact_feature_daily (
    feature_id              VARCHAR NOT NULL,
    event_date              DATE NOT NULL,
    usage_count             BIGINT,
    active_users            BIGINT,
    sessions                BIGINT,
    latency_mean_ms         DOUBLE,
    latency_p50_ms          DOUBLE,
    latency_p95_ms          DOUBLE,
    latency_p99_ms          DOUBLE,
    crash_count             BIGINT,
    crash_rate              DOUBLE,
    error_count             BIGINT,
    error_rate              DOUBLE,
    feedback_count          BIGINT,
    feedback_mean           DOUBLE,
    feedback_negative_share DOUBLE,
    usage_share             DOUBLE,
    latency_p95_7d          DOUBLE,
    latency_p95_28d         DOUBLE,
    crash_rate_7d           DOUBLE,
    crash_rate_28d          DOUBLE,
    error_rate_7d           DOUBLE,
    error_rate_28d          DOUBLE,
    feedback_mean_7d        DOUBLE,
    feedback_mean_28d       DOUBLE,
    active_users_7d         DOUBLE,
    latency_p95_delta_pct   DOUBLE,
    crash_rate_delta_pp     DOUBLE,
    feedback_delta          DOUBLE,
    PRIMARY KEY (feature_id, event_date)
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id        VARCHAR NOT NULL,
    input         VARCHAR NOT NULL,
    source_file   VARCHAR NOT NULL,
    line          BIGINT,
    column_name   VARCHAR,
    value         VARCHAR,
    reason        VARCHAR NOT NULL,
    detail        VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_manifest (
    input            VARCHAR NOT NULL,
    source_file      VARCHAR NOT NULL,
    content_hash     VARCHAR NOT NULL,
    rows_in          BIGINT NOT NULL,
    rows_loaded      BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_duplicate   BIGINT NOT NULL,
    landing_files    VARCHAR[],
    min_date         DATE,
    max_date         DATE,
    loaded_at        TIMESTAMP NOT NULL,
    run_id           VARCHAR NOT NULL,
    PRIMARY KEY (input, content_hash)
);

CREATE TABLE IF NOT EXISTS run_history (
    run_id           VARCHAR PRIMARY KEY,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    status           VARCHAR NOT NULL,
    config_hash      VARCHAR,
    files_new        BIGINT,
    files_skipped    BIGINT,
    rows_in          BIGINT,
    rows_loaded      BIGINT,
    rows_quarantined BIGINT,
    rows_duplicate   BIGINT,
    quality_status   VARCHAR,
    duration_s       DOUBLE,
    report_path      VARCHAR,
    message          VARCHAR
);

CREATE TABLE IF NOT EXISTS stg_telemetry_daily (
    event_date     DATE NOT NULL,
    feature_id     VARCHAR NOT NULL,
    latency_ms     DOUBLE,
    latency_p95_ms DOUBLE,
    crash_rate     DOUBLE,
    error_rate     DOUBLE,
    feedback_score DOUBLE,
    active_users   BIGINT,
    usage_count    BIGINT,
    PRIMARY KEY (feature_id, event_date)
);

-- Event-grain telemetry lives as Parquet under landing/; this table says which files hold which day.
CREATE TABLE IF NOT EXISTS landing_file (
    input        VARCHAR NOT NULL,
    event_date   DATE NOT NULL,
    path         VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    rows         BIGINT NOT NULL,
    run_id       VARCHAR NOT NULL,
    PRIMARY KEY (input, event_date, content_hash)
);
