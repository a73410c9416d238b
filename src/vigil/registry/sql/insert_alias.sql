-- Record one alias move.
INSERT INTO model_alias_history (seq, name, alias, version, previous, action, reason, changed_at)
SELECT coalesce(max(seq), 0) + 1, $name, $alias, $version, $previous, $action, $reason, $changed_at
FROM model_alias_history;
