-- As-of patch risk handed in as a frame (registered as risk_patch_frame).
CREATE OR REPLACE TEMP TABLE risk_patch AS
SELECT firmware_version, max(patch_risk_asof) AS patch_risk
FROM risk_patch_frame
GROUP BY firmware_version;
