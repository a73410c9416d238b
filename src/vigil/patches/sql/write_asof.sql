-- Replace the as-of-release patch risk with the frame registered as asof_scores.
DELETE FROM patch_risk_asof;

INSERT INTO patch_risk_asof BY NAME
SELECT firmware_version, release_date, patch_risk_asof FROM asof_scores;
