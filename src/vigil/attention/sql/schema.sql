-- The attention list: every candidate of a day, ranked; in_budget marks the ones shown.
-- Rewritten per as_of_date on each run (delete + insert), so re-runs are idempotent.
CREATE TABLE IF NOT EXISTS attention_item (
    as_of_date       DATE NOT NULL,
    rank             INTEGER NOT NULL,
    item_key         VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,   -- feature | firmware | patch | data
    title            VARCHAR NOT NULL,
    probability      DOUBLE NOT NULL,    -- chance a real regression is under way or due soon
    users_exposed    DOUBLE,
    expected_users   DOUBLE,             -- probability x users exposed
    signals          VARCHAR NOT NULL,   -- the signals behind the item, e.g. 'risk;anomaly'
    evidence         VARCHAR NOT NULL,   -- one sentence per signal, '; '-separated
    in_budget        BOOLEAN NOT NULL,
    run_id           VARCHAR,
    PRIMARY KEY (as_of_date, item_key)
);
