-- Releases in fact_patch, and how many the last scoring put in the high tier.
SELECT count(*) AS releases, count(*) FILTER (WHERE tier = 'high') AS high_risk FROM fact_patch;
