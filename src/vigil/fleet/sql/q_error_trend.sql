-- Daily errors per 10k devices per device model (all firmware together), oldest first.
SELECT
    event_date,
    device_model,
    SUM(errors) * 10000.0 / NULLIF(SUM(devices), 0) AS error_rate_per_10k
FROM fleet_device_daily
GROUP BY ALL
ORDER BY event_date, device_model;
