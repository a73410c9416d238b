-- The champion of one model as the registry table holds it: version and checksum.
SELECT r.version, r.checksum
FROM model_registry AS r
JOIN (
    SELECT version, action
    FROM model_alias_history
    WHERE name = $name AND alias = 'champion'
    QUALIFY row_number() OVER (ORDER BY seq DESC) = 1
) AS a ON a.version = r.version AND a.action <> 'retire'
WHERE r.name = $name;
