-- Model registry: one row per registered model version, plus every alias move.
-- Idempotent: every statement is CREATE ... IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS model_registry (
    name        VARCHAR NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    path        VARCHAR NOT NULL,
    metrics     JSON,
    features    JSON,
    train_start DATE,
    train_end   DATE,
    checksum    VARCHAR NOT NULL,
    params      JSON,
    PRIMARY KEY (name, version)
);

CREATE TABLE IF NOT EXISTS model_alias_history (
    seq          BIGINT NOT NULL,
    name         VARCHAR NOT NULL,
    alias        VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    previous     INTEGER,
    action       VARCHAR NOT NULL,
    reason       VARCHAR,
    changed_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (seq)
);
