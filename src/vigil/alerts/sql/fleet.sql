-- Device segments in the fleet's immediate tier with at least $min_devices devices, riskiest first.
SELECT device_model, firmware_version, age_band, devices, weighted_risk, error_rate_per_10k,
       rma_rate, spike_days
FROM fleet_risk
WHERE tier = 'immediate' AND devices >= $min_devices
ORDER BY weighted_risk DESC, device_model, firmware_version, age_band;
