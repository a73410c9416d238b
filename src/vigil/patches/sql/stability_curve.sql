-- Stability curve per release: errors per 10k exposed devices (all models) by days since release.
SELECT d.firmware_version, d.days_since_release,
       sum(d.errors) AS errors, any_value(p.exposed_devices) AS devices,
       sum(d.errors) * 10000.0 / nullif(any_value(p.exposed_devices), 0) AS error_rate_per_10k
FROM fact_device_daily d
JOIN fact_patch p USING (firmware_version)
WHERE d.days_since_release >= 0
GROUP BY ALL
ORDER BY d.firmware_version, d.days_since_release;
