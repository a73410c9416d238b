-- Firmware with device segments in the fleet's immediate tier: segments, devices, worst risk.
SELECT
    firmware_version,
    count(*) AS segments,
    sum(devices) AS devices,
    max(weighted_risk) AS weighted_risk,
    arg_max(device_model || ' ' || age_band, weighted_risk) AS worst_segment
FROM fleet_risk
WHERE tier = 'immediate'
GROUP BY firmware_version;
