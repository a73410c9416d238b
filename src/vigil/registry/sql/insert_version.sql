-- Register one model version.
INSERT INTO model_registry
    (name, version, created_at, path, metrics, features, train_start, train_end, checksum, params)
VALUES ($name, $version, $created_at, $path, $metrics, $features, $train_start, $train_end,
        $checksum, $params);
