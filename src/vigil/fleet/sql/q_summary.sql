-- One row for the run report: spike days and tickets that matched no prior device event.
SELECT
    (SELECT COUNT(*) FROM fleet_device_daily WHERE is_spike_day) AS spike_days,
    (SELECT COUNT(*) FROM fleet_ticket_link WHERE event_time IS NULL) AS unlinked_tickets;
