-- Write scores back onto fact_patch from the registered view `patch_scores`.
UPDATE fact_patch AS f
SET risk = s.risk, tier = s.tier, reasons = s.reasons, model_version = s.model_version,
    expected_error_rate_per_10k = s.expected_error_rate_per_10k, scored_at = s.scored_at
FROM patch_scores AS s
WHERE f.firmware_version = s.firmware_version;
