-- Spike days: device_model x firmware days whose errors reached the spike ratio.
SELECT device_model, firmware_version, event_date, errors, errors_trailing_7d, spike_ratio
FROM fleet_device_daily
WHERE is_spike_day
ORDER BY event_date, device_model, firmware_version;
