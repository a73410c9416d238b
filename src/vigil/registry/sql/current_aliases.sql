-- The version each alias of a model points at now (its latest move).
SELECT alias, version
FROM model_alias_history
WHERE name = $name
QUALIFY row_number() OVER (PARTITION BY alias ORDER BY seq DESC) = 1
ORDER BY alias;
