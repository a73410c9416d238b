-- Deployments and incidents added with `vigil annotate`. Ingest never writes this table, so
-- annotations survive re-runs. feature_id NULL: the annotation concerns every feature.
-- Read beside fact_deployment / fact_incident by detection/sql/attribute.sql and the dashboard's
-- feature_deployments.sql / feature_incidents.sql.
CREATE TABLE IF NOT EXISTS annotation (
    annotation_id VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,   -- deployment | incident
    feature_id    VARCHAR,
    started_at    TIMESTAMP NOT NULL,
    ended_at      TIMESTAMP,
    text          VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
