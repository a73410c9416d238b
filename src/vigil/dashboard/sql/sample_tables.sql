-- Other areas' tables, for the dashboard's sample warehouse only: a copy of the columns the
-- dashboard reads, as those areas define them. In a real warehouse each area's own schema.sql
-- creates these first, and IF NOT EXISTS keeps theirs.
CREATE TABLE IF NOT EXISTS feature_risk (
    feature_id VARCHAR, score_date DATE, risk DOUBLE, impact DOUBLE, users_exposed DOUBLE,
    tier VARCHAR, reason VARCHAR, top_factors JSON, model_version VARCHAR, run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS feature_anomaly (
    feature_id VARCHAR, event_date DATE, metric VARCHAR, kind VARCHAR, score DOUBLE,
    deployment_id VARCHAR, message VARCHAR, run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS fact_patch (
    firmware_version VARCHAR, release_date DATE, patch_type VARCHAR, files_changed DOUBLE,
    lines_added DOUBLE, lines_deleted DOUBLE, error_rate_per_10k DOUBLE, rma_rate DOUBLE,
    outcome_mature BOOLEAN, risk DOUBLE, tier VARCHAR, reasons VARCHAR, model_version INTEGER
);
CREATE TABLE IF NOT EXISTS fact_device_daily (
    device_model VARCHAR, firmware_version VARCHAR, event_date DATE, devices DOUBLE,
    errors BIGINT, rma_count BIGINT, error_rate_per_10k DOUBLE, rma_rate DOUBLE
);
CREATE TABLE IF NOT EXISTS fleet_risk (
    device_model VARCHAR, firmware_version VARCHAR, age_band VARCHAR, devices BIGINT,
    device_days BIGINT, errors BIGINT, rma_count BIGINT, error_rate_per_10k DOUBLE,
    rma_rate DOUBLE, mean_age_days DOUBLE, relative_risk DOUBLE, age_weight DOUBLE,
    weighted_risk DOUBLE, tier VARCHAR, error_rate_trend DOUBLE, rma_rate_trend DOUBLE,
    spike_days BIGINT, as_of_date DATE
);
CREATE TABLE IF NOT EXISTS model_registry (
    name VARCHAR, version INTEGER, created_at TIMESTAMP, path VARCHAR, metrics JSON,
    features JSON, train_start DATE, train_end DATE, checksum VARCHAR, params JSON
);
CREATE TABLE IF NOT EXISTS model_alias_history (
    seq BIGINT, name VARCHAR, alias VARCHAR, version INTEGER, previous INTEGER,
    action VARCHAR, reason VARCHAR, changed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS drift_report (
    run_id VARCHAR, column_name VARCHAR, kind VARCHAR, test VARCHAR, statistic DOUBLE,
    p_value DOUBLE, p_value_adjusted DOUBLE, distance DOUBLE, psi DOUBLE, drifted BOOLEAN,
    missing_drift BOOLEAN, verdict VARCHAR, reason VARCHAR, created_at TIMESTAMP
);
