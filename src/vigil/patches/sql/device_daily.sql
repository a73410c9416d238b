-- Rebuild fact_device_daily: error and RMA counts per device model x firmware x day, over the
-- exposed devices. Dense: every day from a release (or its first event) to its last event has a
-- row, so SUM(devices) is device-days. A ticket counts against the firmware its device last
-- reported before it.
DELETE FROM fact_device_daily;

INSERT INTO fact_device_daily
WITH errors AS (
    SELECT coalesce(e.device_model, d.device_model, 'unknown') AS device_model,
           e.firmware_version, CAST(e.event_time AS DATE) AS event_date, count(*) AS errors
    FROM raw_device_event e
    LEFT JOIN dim_device d USING (device_id)
    GROUP BY ALL
),
rma AS (
    SELECT coalesce(e.device_model, d.device_model, 'unknown') AS device_model,
           e.firmware_version, CAST(t.created_at AS DATE) AS event_date, count(*) AS rma_count
    FROM raw_support_ticket t
    ASOF JOIN raw_device_event e ON t.device_id = e.device_id AND t.created_at >= e.event_time
    LEFT JOIN dim_device d ON d.device_id = t.device_id
    WHERE t.is_rma
    GROUP BY ALL
),
span AS (
    SELECT e.firmware_version,
           least(min(CAST(e.event_time AS DATE)), any_value(r.release_date)) AS first_day,
           max(CAST(e.event_time AS DATE)) AS last_day
    FROM raw_device_event e
    LEFT JOIN dim_release r USING (firmware_version)
    GROUP BY ALL
),
grid AS (
    SELECT x.device_model, s.firmware_version,
           CAST(unnest(generate_series(s.first_day, s.last_day, INTERVAL 1 DAY)) AS DATE) AS event_date
    FROM span s
    JOIN patch_exposure x USING (firmware_version)
),
days AS (
    SELECT device_model, firmware_version, event_date FROM grid
    UNION
    SELECT device_model, firmware_version, event_date FROM errors
    UNION
    SELECT device_model, firmware_version, event_date FROM rma
)
SELECT k.device_model, k.firmware_version, k.event_date,
       datediff('day', r.release_date, k.event_date) AS days_since_release,
       x.devices,
       coalesce(e.errors, 0) AS errors,
       coalesce(m.rma_count, 0) AS rma_count,
       coalesce(e.errors, 0) * 10000.0 / nullif(x.devices, 0) AS error_rate_per_10k,
       coalesce(m.rma_count, 0) / nullif(x.devices, 0) AS rma_rate
FROM days k
LEFT JOIN errors e USING (device_model, firmware_version, event_date)
LEFT JOIN rma m USING (device_model, firmware_version, event_date)
LEFT JOIN dim_release r USING (firmware_version)
LEFT JOIN patch_exposure x USING (firmware_version, device_model);
