-- Tie each support ticket to the device's latest matching event at or before the ticket:
-- same device, same error code when the ticket names one. The ticket's firmware is that event's.
-- error_code is the ticket's, else the matched event's. Tickets after $as_of are left out.
INSERT INTO fleet_ticket_link
SELECT
    t.ticket_id,
    t.device_id,
    t.created_at,
    COALESCE(t.error_code, e.error_code) AS error_code,
    COALESCE(t.is_rma, FALSE) AS is_rma,
    COALESCE(e.device_model, d.device_model) AS device_model,
    e.event_time,
    e.firmware_version
FROM raw_support_ticket AS t
LEFT JOIN dim_device AS d USING (device_id)
LEFT JOIN fleet_event AS e
    ON e.device_id = t.device_id
    AND e.event_time <= t.created_at
    AND (t.error_code IS NULL OR e.error_code = t.error_code)
WHERE CAST(t.created_at AS DATE) <= $as_of
QUALIFY ROW_NUMBER() OVER (
    PARTITION BY t.ticket_id ORDER BY e.event_time DESC NULLS LAST, e.firmware_version
) = 1;
