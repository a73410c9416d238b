-- No fact_patch yet (the patches stage has not run): an empty stand-in with the same columns.
CREATE OR REPLACE TEMP VIEW risk_patch AS
SELECT CAST(NULL AS VARCHAR) AS firmware_version, CAST(NULL AS DOUBLE) AS patch_risk
WHERE false;
