-- RMA rate by error code: RMA tickets tied to the code / devices that reported the code.
WITH affected AS (
    SELECT error_code, COUNT(DISTINCT device_id) AS devices, COUNT(*) AS events
    FROM raw_device_event
    GROUP BY error_code
),
tickets AS (
    SELECT error_code, COUNT(*) AS tickets, COUNT(*) FILTER (WHERE is_rma) AS rma_tickets
    FROM fleet_ticket_link
    WHERE event_time IS NOT NULL
    GROUP BY error_code
)
SELECT
    a.error_code,
    a.devices,
    a.events,
    COALESCE(t.tickets, 0) AS tickets,
    COALESCE(t.rma_tickets, 0) AS rma_tickets,
    COALESCE(t.rma_tickets, 0) * 1.0 / a.devices AS rma_rate
FROM affected AS a
LEFT JOIN tickets AS t ON t.error_code IS NOT DISTINCT FROM a.error_code
ORDER BY rma_rate DESC, a.error_code;
