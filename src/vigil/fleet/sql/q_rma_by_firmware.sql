-- RMA rate by firmware: RMA tickets tied to the firmware / devices seen running it.
WITH running AS (
    SELECT firmware_version, COUNT(DISTINCT device_id) AS devices, COUNT(*) AS events
    FROM raw_device_event
    GROUP BY firmware_version
),
tickets AS (
    SELECT firmware_version, COUNT(*) AS tickets, COUNT(*) FILTER (WHERE is_rma) AS rma_tickets
    FROM fleet_ticket_link
    WHERE firmware_version IS NOT NULL
    GROUP BY firmware_version
)
SELECT
    r.firmware_version,
    r.devices,
    r.events,
    COALESCE(t.tickets, 0) AS tickets,
    COALESCE(t.rma_tickets, 0) AS rma_tickets,
    COALESCE(t.rma_tickets, 0) * 1.0 / r.devices AS rma_rate
FROM running AS r
LEFT JOIN tickets AS t USING (firmware_version)
ORDER BY rma_rate DESC, r.firmware_version;
