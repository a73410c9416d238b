-- The latest verdict of each baseline x candidate x feature judged after $since.
SELECT baseline, candidate, feature_id, verdict, score, detail, judged_at
FROM canary_verdict
WHERE judged_at > $since
QUALIFY row_number() OVER (
    PARTITION BY baseline, candidate, coalesce(feature_id, '') ORDER BY judged_at DESC
) = 1
ORDER BY judged_at DESC, candidate, baseline;
