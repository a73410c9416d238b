-- Every move of one alias of a model, oldest first.
SELECT seq, version, previous, action, reason, changed_at
FROM model_alias_history
WHERE name = $name AND alias = $alias
ORDER BY seq;
