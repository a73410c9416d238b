-- device_model x firmware x age band over the whole window. Rates: errors per 10k device-days,
-- RMA tickets per device. relative_risk compares credibility-weighted rates with the fleet's
-- (1.0 = fleet average); weighted_risk multiplies it by the age weight relative to the fleet's
-- device-weighted mean age weight, so 1.0 is still "an average device" (see vigil.fleet.build).
-- Tiers: immediate needs weighted_risk >= $immediate, devices on the firmware in the last
-- $active_days days, and a place among the first $immediate_max such segments ranked by their
-- firmware's risk pooled over all its segments (more devices, less noise), then their own; the
-- others at or above $enhanced are enhanced. Trends: last 7 days minus the 7 before (per 10k device-days).
INSERT INTO fleet_risk
WITH as_of AS (SELECT MAX(event_date) AS as_of FROM fleet_device_day),
per_device AS (
    SELECT
        dd.device_model, dd.firmware_version, fd.age_band, dd.device_id,
        ANY_VALUE(fd.age_days) AS age_days,
        COUNT(*) AS days,
        COUNT(*) FILTER (WHERE dd.event_date > a.as_of - 7) AS days_last7,
        COUNT(*) FILTER (WHERE dd.event_date <= a.as_of - 7 AND dd.event_date > a.as_of - 14)
            AS days_prev7,
        COUNT(*) FILTER (WHERE dd.event_date > a.as_of - CAST($active_days AS INTEGER))
            AS days_active
    FROM fleet_device_day AS dd
    JOIN fleet_device AS fd USING (device_id)
    CROSS JOIN as_of AS a
    GROUP BY ALL
),
exposure AS (
    SELECT
        device_model, firmware_version, age_band,
        COUNT(*) AS devices, SUM(days) AS device_days, AVG(age_days) AS mean_age_days,
        SUM(days_last7) AS dd_last7, SUM(days_prev7) AS dd_prev7, SUM(days_active) AS dd_active
    FROM per_device
    GROUP BY ALL
),
errs AS (
    SELECT
        e.device_model, e.firmware_version, fd.age_band,
        COUNT(*) AS errors,
        COUNT(*) FILTER (WHERE e.event_date > a.as_of - 7) AS errors_last7,
        COUNT(*) FILTER (WHERE e.event_date <= a.as_of - 7 AND e.event_date > a.as_of - 14)
            AS errors_prev7
    FROM fleet_event AS e
    JOIN fleet_device AS fd USING (device_id)
    CROSS JOIN as_of AS a
    GROUP BY ALL
),
rma AS (
    SELECT
        t.device_model, t.firmware_version, fd.age_band,
        COUNT(*) AS rma_count,
        COUNT(*) FILTER (WHERE CAST(t.created_at AS DATE) > a.as_of - 7) AS rma_last7,
        COUNT(*) FILTER (
            WHERE CAST(t.created_at AS DATE) <= a.as_of - 7
            AND CAST(t.created_at AS DATE) > a.as_of - 14
        ) AS rma_prev7
    FROM fleet_ticket_link AS t
    JOIN fleet_device AS fd USING (device_id)
    CROSS JOIN as_of AS a
    WHERE t.is_rma AND t.firmware_version IS NOT NULL
    GROUP BY ALL
),
spikes AS (
    SELECT device_model, firmware_version, COUNT(*) FILTER (WHERE is_spike_day) AS spike_days
    FROM fleet_device_daily
    GROUP BY ALL
),
joined AS (
    SELECT
        x.*,
        COALESCE(e.errors, 0) AS errors,
        COALESCE(e.errors_last7, 0) AS errors_last7,
        COALESCE(e.errors_prev7, 0) AS errors_prev7,
        COALESCE(r.rma_count, 0) AS rma_count,
        COALESCE(r.rma_last7, 0) AS rma_last7,
        COALESCE(r.rma_prev7, 0) AS rma_prev7,
        COALESCE(s.spike_days, 0) AS spike_days,
        1.0 + $age_weight_per_year * LEAST(x.mean_age_days / 365.0, $age_cap_years) AS age_weight
    FROM exposure AS x
    LEFT JOIN errs AS e USING (device_model, firmware_version, age_band)
    LEFT JOIN rma AS r USING (device_model, firmware_version, age_band)
    LEFT JOIN spikes AS s USING (device_model, firmware_version)
),
fleet AS (
    SELECT
        SUM(errors) * 1.0 / NULLIF(SUM(device_days), 0) AS fleet_error_rate,
        SUM(rma_count) * 1.0 / NULLIF(SUM(devices), 0) AS fleet_rma_rate,
        SUM(age_weight * devices) / NULLIF(SUM(devices), 0) AS fleet_age_weight
    FROM joined
),
scored AS (
    SELECT
        j.*,
        0.5 * COALESCE(
            ((j.errors + $error_prior_days * f.fleet_error_rate) / (j.device_days + $error_prior_days))
            / NULLIF(f.fleet_error_rate, 0), 1.0)
        + 0.5 * COALESCE(
            ((j.rma_count + $rma_prior_devices * f.fleet_rma_rate) / (j.devices + $rma_prior_devices))
            / NULLIF(f.fleet_rma_rate, 0), 1.0) AS relative_risk,
        j.age_weight / f.fleet_age_weight AS relative_age_weight
    FROM joined AS j
    CROSS JOIN fleet AS f
),
firmware_pool AS (
    -- The same credibility-weighted rates pooled over all segments of a firmware.
    SELECT
        j.firmware_version,
        0.5 * COALESCE(
            ((SUM(j.errors) + $error_prior_days * f.fleet_error_rate)
                / (SUM(j.device_days) + $error_prior_days))
            / NULLIF(f.fleet_error_rate, 0), 1.0)
        + 0.5 * COALESCE(
            ((SUM(j.rma_count) + $rma_prior_devices * f.fleet_rma_rate)
                / (SUM(j.devices) + $rma_prior_devices))
            / NULLIF(f.fleet_rma_rate, 0), 1.0) AS firmware_risk
    FROM joined AS j
    CROSS JOIN fleet AS f
    GROUP BY j.firmware_version, f.fleet_error_rate, f.fleet_rma_rate
),
weighted AS (
    SELECT s.*, s.relative_risk * s.relative_age_weight AS weighted_risk, p.firmware_risk
    FROM scored AS s
    JOIN firmware_pool AS p USING (firmware_version)
),
ranked AS (
    SELECT
        *,
        ROW_NUMBER() OVER (
            PARTITION BY weighted_risk >= $immediate AND dd_active > 0
            ORDER BY firmware_risk DESC, weighted_risk DESC, device_model, firmware_version, age_band
        ) AS risk_rank
    FROM weighted
)
SELECT
    device_model,
    firmware_version,
    age_band,
    devices,
    device_days,
    errors,
    rma_count,
    errors * 10000.0 / NULLIF(device_days, 0) AS error_rate_per_10k,
    rma_count * 1.0 / NULLIF(devices, 0) AS rma_rate,
    mean_age_days,
    relative_risk,
    age_weight,
    weighted_risk,
    CASE
        WHEN weighted_risk >= $immediate AND dd_active > 0 AND risk_rank <= $immediate_max
            THEN 'immediate'
        WHEN weighted_risk >= $enhanced THEN 'enhanced'
        ELSE 'standard'
    END AS tier,
    errors_last7 * 10000.0 / NULLIF(dd_last7, 0)
        - errors_prev7 * 10000.0 / NULLIF(dd_prev7, 0) AS error_rate_trend,
    rma_last7 * 10000.0 / NULLIF(dd_last7, 0)
        - rma_prev7 * 10000.0 / NULLIF(dd_prev7, 0) AS rma_rate_trend,
    spike_days,
    (SELECT as_of FROM as_of) AS as_of_date
FROM ranked;
