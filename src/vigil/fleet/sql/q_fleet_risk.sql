-- Every device model x firmware x age band, riskiest first.
SELECT *
FROM fleet_risk
ORDER BY weighted_risk DESC, device_model, firmware_version, age_band;
