-- Patch risk per firmware version, as scored by the patches stage.
CREATE OR REPLACE TEMP VIEW risk_patch AS
SELECT firmware_version, max(risk) AS patch_risk
FROM fact_patch
GROUP BY firmware_version;
