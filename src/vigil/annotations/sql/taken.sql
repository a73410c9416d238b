-- Is this id already used by an annotation, an ingested deployment or an ingested incident?
SELECT 'annotation' AS used_by FROM annotation WHERE annotation_id = $id
UNION ALL
SELECT 'deployment' FROM fact_deployment WHERE deployment_id = $id
UNION ALL
SELECT 'incident' FROM fact_incident WHERE incident_id = $id;
