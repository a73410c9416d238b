-- Install base: each device counts, each day, on the latest firmware it was seen running up to
-- that day (from the first day it was seen on a firmware until it is seen on the next one).
CREATE OR REPLACE TEMP TABLE fleet_device_day AS
WITH bounds AS (
    SELECT MIN(event_date) AS first_day, MAX(event_date) AS last_day FROM fleet_event
),
days AS (
    SELECT CAST(UNNEST(GENERATE_SERIES(
        CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP), INTERVAL 1 DAY
    )) AS DATE) AS event_date
    FROM bounds
    WHERE first_day IS NOT NULL
),
installs AS (
    SELECT device_id, device_model, firmware_version, MIN(event_date) AS since
    FROM fleet_event
    GROUP BY ALL
),
spans AS (
    SELECT
        *,
        LEAD(since) OVER (PARTITION BY device_id ORDER BY since, firmware_version) AS until
    FROM installs
)
SELECT s.device_id, s.device_model, s.firmware_version, d.event_date
FROM spans AS s
JOIN days AS d
    ON d.event_date >= s.since AND (s.until IS NULL OR d.event_date < s.until);
