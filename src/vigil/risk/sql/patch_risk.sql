-- Patch risk per firmware version *as of its release date* (the patches stage's walk-forward
-- score: each release scored by a model trained only on outcomes matured before it shipped).
-- fact_patch's own risk is never used here: it is in-sample for past releases.
CREATE OR REPLACE TEMP TABLE risk_patch AS
SELECT firmware_version, max(patch_risk_asof) AS patch_risk
FROM patch_risk_asof
GROUP BY firmware_version;
