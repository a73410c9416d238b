-- Every registered version, optionally of one model, oldest first.
SELECT name, version, path, features, metrics, checksum, created_at, train_start, train_end, params
FROM model_registry
WHERE $name IS NULL OR name = $name
ORDER BY name, version;
