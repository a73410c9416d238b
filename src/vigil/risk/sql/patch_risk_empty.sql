-- No as-of patch risk yet (the patches stage has not run): an empty stand-in, same columns.
CREATE OR REPLACE TEMP TABLE risk_patch AS
SELECT CAST(NULL AS VARCHAR) AS firmware_version, CAST(NULL AS DOUBLE) AS patch_risk
WHERE false;
