-- device_model x firmware x day. A spike day has errors / (mean errors of the previous 7 days
-- with the firmware installed) >= $spike_ratio; a day with no earlier errors is never a spike.
INSERT INTO fleet_device_daily
WITH exposure AS (
    SELECT device_model, firmware_version, event_date, COUNT(*) AS devices
    FROM fleet_device_day
    GROUP BY ALL
),
errs AS (
    SELECT device_model, firmware_version, event_date, COUNT(*) AS errors
    FROM fleet_event
    GROUP BY ALL
),
rma AS (
    SELECT device_model, firmware_version, CAST(created_at AS DATE) AS event_date,
        COUNT(*) AS rma_count
    FROM fleet_ticket_link
    WHERE is_rma AND firmware_version IS NOT NULL
    GROUP BY ALL
),
daily AS (
    SELECT
        device_model, firmware_version, event_date,
        COALESCE(x.devices, 0) AS devices,
        COALESCE(e.errors, 0) AS errors,
        COALESCE(r.rma_count, 0) AS rma_count
    FROM exposure AS x
    FULL JOIN errs AS e USING (device_model, firmware_version, event_date)
    FULL JOIN rma AS r USING (device_model, firmware_version, event_date)
),
trail AS (
    SELECT
        *,
        AVG(errors) OVER (
            PARTITION BY device_model, firmware_version ORDER BY event_date
            RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND INTERVAL 1 DAY PRECEDING
        ) AS errors_trailing_7d
    FROM daily
)
SELECT
    device_model,
    firmware_version,
    event_date,
    devices,
    errors,
    errors * 10000.0 / NULLIF(devices, 0) AS error_rate_per_10k,
    rma_count,
    rma_count * 1.0 / NULLIF(devices, 0) AS rma_rate,
    errors_trailing_7d,
    errors / NULLIF(errors_trailing_7d, 0) AS spike_ratio,
    COALESCE(errors / NULLIF(errors_trailing_7d, 0) >= $spike_ratio, FALSE) AS is_spike_day
FROM trail;
