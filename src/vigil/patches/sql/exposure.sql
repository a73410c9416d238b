-- Exposed devices per firmware x device model: devices of that model x the release's rollout
-- share (rollout_pct as a percent when above 1; 100% when the release has no deployment row).
CREATE OR REPLACE TEMP VIEW patch_exposure AS
WITH rollout AS (
    SELECT version AS firmware_version,
           max(CASE WHEN rollout_pct > 1 THEN rollout_pct / 100.0 ELSE rollout_pct END) AS share
    FROM fact_deployment
    WHERE version IS NOT NULL
    GROUP BY ALL
),
models AS (
    SELECT coalesce(device_model, 'unknown') AS device_model, count(*) AS n_devices
    FROM dim_device
    GROUP BY ALL
)
SELECT r.firmware_version, m.device_model,
       m.n_devices * coalesce(o.share, 1.0) AS devices
FROM dim_release r
CROSS JOIN models m
LEFT JOIN rollout o USING (firmware_version);
