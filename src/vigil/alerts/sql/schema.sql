-- Alerts: the state of every dedup key (one row per rule x subject) and the log of every notice.
-- Idempotent: every statement is CREATE ... IF NOT EXISTS.

-- status: firing | resolved. notified: how the current episode was announced (sent | dry_run),
-- NULL while it is held by the cooldown or every destination failed (the next run tries again).
CREATE TABLE IF NOT EXISTS alert_state (
    dedup_key        VARCHAR PRIMARY KEY,
    rule             VARCHAR NOT NULL,
    subject          VARCHAR NOT NULL,
    label            VARCHAR,
    severity         VARCHAR NOT NULL,
    message          VARCHAR NOT NULL,
    status           VARCHAR NOT NULL,
    notified         VARCHAR,
    opened_at        TIMESTAMP NOT NULL,
    last_notified_at TIMESTAMP,
    resolved_at      TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL
);

-- One row per alert x destination (destination NULL when none was tried).
-- action: trigger | resolve. outcome: delivered | failed | dry_run | held | not_routed.
CREATE TABLE IF NOT EXISTS alert_log (
    run_id        VARCHAR,
    evaluated_at  TIMESTAMP NOT NULL,   -- the run's clock
    rule          VARCHAR NOT NULL,
    subject       VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL,
    dedup_key     VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,
    destination   VARCHAR,
    attempts      INTEGER NOT NULL,
    outcome       VARCHAR NOT NULL,
    status_code   INTEGER,
    error         VARCHAR,
    message       VARCHAR NOT NULL,
    opened_at     TIMESTAMP NOT NULL,   -- when the problem was first seen (run clock)
    delivered_at  TIMESTAMP             -- wall clock of the last attempt; NULL when none was made
);
