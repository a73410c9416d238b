-- Every alias move of every model, newest first.
SELECT name, alias, version, previous, action, reason, changed_at
FROM model_alias_history
ORDER BY seq DESC;
