-- Every canary judgement, appended (the alerts read the latest per baseline x candidate x feature).
-- detail: JSON object {"metrics": [{name, test, verdict, effect, interval, reason, ...}],
-- "window_start", "window_end", "summary"}.
CREATE TABLE IF NOT EXISTS canary_verdict (
    judged_at  TIMESTAMP NOT NULL,
    baseline   VARCHAR NOT NULL,
    candidate  VARCHAR NOT NULL,
    feature_id VARCHAR,
    verdict    VARCHAR NOT NULL,   -- Pass | Marginal | Fail | NoData
    score      DOUBLE,
    detail     VARCHAR             -- JSON
);
