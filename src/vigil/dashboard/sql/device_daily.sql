-- Fleet error rate per device model and day ({date_col} is the table's date column).
SELECT
    {date_col} AS event_date,
    device_model,
    sum(errors) * 10000.0 / nullif(sum(devices), 0) AS error_rate_per_10k,
    avg(rma_rate) AS rma_rate
FROM fact_device_daily
GROUP BY ALL
ORDER BY event_date, device_model;
