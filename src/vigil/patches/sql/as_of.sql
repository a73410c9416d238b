-- The date the device data reaches (latest device event or ticket); NULL without device data,
-- so no outcome is ever computed from data that is not there.
SELECT greatest(
    (SELECT max(CAST(event_time AS DATE)) FROM raw_device_event),
    (SELECT max(CAST(created_at AS DATE)) FROM raw_support_ticket)
);
