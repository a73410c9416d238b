-- Device-fleet tables, rebuilt whole by vigil.fleet.stage (delete + insert, so re-runs are idempotent).

-- device_model x firmware_version x day. devices = devices of that model whose latest firmware
-- seen up to that day is this one (install base); errors = device error events that day.
CREATE TABLE IF NOT EXISTS fleet_device_daily (
    device_model        VARCHAR NOT NULL,
    firmware_version    VARCHAR NOT NULL,
    event_date          DATE NOT NULL,
    devices             BIGINT NOT NULL,
    errors              BIGINT NOT NULL,
    error_rate_per_10k  DOUBLE,
    rma_count           BIGINT NOT NULL,
    rma_rate            DOUBLE,
    errors_trailing_7d  DOUBLE,
    spike_ratio         DOUBLE,
    is_spike_day        BOOLEAN NOT NULL,
    PRIMARY KEY (device_model, firmware_version, event_date)
);

-- Each support ticket tied to the device's latest matching event at or before the ticket
-- (same error code when the ticket has one); unmatched tickets keep NULL event columns.
CREATE TABLE IF NOT EXISTS fleet_ticket_link (
    ticket_id        VARCHAR PRIMARY KEY,
    device_id        VARCHAR NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    error_code       VARCHAR,
    is_rma           BOOLEAN,
    device_model     VARCHAR,
    event_time       TIMESTAMP,
    firmware_version VARCHAR
);

-- device_model x firmware x age band over the whole window, with age-weighted risk and a tier.
CREATE TABLE IF NOT EXISTS fleet_risk (
    device_model        VARCHAR NOT NULL,
    firmware_version    VARCHAR NOT NULL,
    age_band            VARCHAR NOT NULL,
    devices             BIGINT NOT NULL,
    device_days         BIGINT NOT NULL,
    errors              BIGINT NOT NULL,
    rma_count           BIGINT NOT NULL,
    error_rate_per_10k  DOUBLE,
    rma_rate            DOUBLE,
    mean_age_days       DOUBLE,
    relative_risk       DOUBLE,
    age_weight          DOUBLE,
    weighted_risk       DOUBLE,
    tier                VARCHAR NOT NULL,
    error_rate_trend    DOUBLE,
    rma_rate_trend      DOUBLE,
    spike_days          BIGINT NOT NULL,
    as_of_date          DATE,
    PRIMARY KEY (device_model, firmware_version, age_band)
);
