-- One row per device seen in events: model, age at the last event day, and its age band.
-- Age counts from first_seen_date (dim_device), else from the device's first event.
CREATE OR REPLACE TEMP TABLE fleet_device AS
WITH as_of AS (SELECT MAX(event_date) AS as_of FROM fleet_event),
seen AS (
    SELECT device_id, ANY_VALUE(device_model) AS device_model, MIN(event_date) AS first_event
    FROM fleet_event
    GROUP BY device_id
)
SELECT
    s.device_id,
    s.device_model,
    a.as_of - COALESCE(d.first_seen_date, s.first_event) AS age_days,
    CASE
        WHEN a.as_of - COALESCE(d.first_seen_date, s.first_event) < 183 THEN '0-6m'
        WHEN a.as_of - COALESCE(d.first_seen_date, s.first_event) < 365 THEN '6-12m'
        WHEN a.as_of - COALESCE(d.first_seen_date, s.first_event) < 730 THEN '1-2y'
        ELSE '2y+'
    END AS age_band
FROM seen AS s
CROSS JOIN as_of AS a
LEFT JOIN dim_device AS d USING (device_id);
