-- Device error events up to $as_of with the device model resolved (dim_device first, then the
-- event's own).
CREATE OR REPLACE TEMP TABLE fleet_event AS
SELECT
    e.device_id,
    e.event_time,
    CAST(e.event_time AS DATE) AS event_date,
    e.firmware_version,
    e.error_code,
    COALESCE(d.device_model, e.device_model, 'unknown') AS device_model
FROM raw_device_event AS e
LEFT JOIN dim_device AS d USING (device_id)
WHERE CAST(e.event_time AS DATE) <= $as_of;
