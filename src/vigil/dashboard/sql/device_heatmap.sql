-- Error rate per 10k devices, device model x firmware, over the whole table.
SELECT
    device_model,
    firmware_version,
    sum(errors) * 10000.0 / nullif(sum(devices), 0) AS error_rate_per_10k,
    avg(rma_rate) AS rma_rate
FROM fact_device_daily
GROUP BY ALL
ORDER BY device_model, firmware_version;
