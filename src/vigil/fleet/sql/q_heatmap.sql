-- device_model x firmware over the whole window: errors per 10k device-days and RMAs per 10k
-- device-days (rows for a heatmap; pivot on firmware_version). {table} is fleet_device_daily, or
-- the patch area's fact_device_daily when the fleet stage has not run ({spikes} is then 0).
SELECT
    device_model,
    firmware_version,
    CAST(SUM(devices) AS DOUBLE) AS device_days,
    CAST(SUM(errors) AS BIGINT) AS errors,
    CAST(SUM(rma_count) AS BIGINT) AS rma_count,
    SUM(errors) * 10000.0 / NULLIF(SUM(devices), 0) AS error_rate_per_10k,
    SUM(rma_count) * 10000.0 / NULLIF(SUM(devices), 0) AS rma_per_10k_device_days,
    {spikes} AS spike_days
FROM {table}
GROUP BY ALL
ORDER BY device_model, firmware_version;
