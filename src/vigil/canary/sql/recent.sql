-- The newest canary judgements first (the dashboard's panel and `vigil canary --history`).
SELECT judged_at, baseline, candidate, feature_id, verdict, score, detail
FROM canary_verdict
ORDER BY judged_at DESC, candidate, baseline
LIMIT $limit;
