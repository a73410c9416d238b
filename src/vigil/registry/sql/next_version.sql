-- The next version number of a model (1 for a new name).
SELECT coalesce(max(version), 0) + 1 FROM model_registry WHERE name = $name;
