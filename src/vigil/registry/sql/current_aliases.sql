-- The version each alias of a model points at now (its latest move; a retired alias is gone).
SELECT alias, version
FROM (
    SELECT alias, version, action
    FROM model_alias_history
    WHERE name = $name
    QUALIFY row_number() OVER (PARTITION BY alias ORDER BY seq DESC) = 1
)
WHERE action <> 'retire'
ORDER BY alias;
