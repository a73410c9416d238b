-- Rebuild fact_patch from dim_release: pre-release metrics, and outcomes (the given ones, or
-- computed from fact_device_daily when the outcome window has closed by $as_of and the
-- release has exposed devices). Error rates are per 10k device-days, like the given ones.
-- pre_error_rate_per_10k: the fleet's device errors in the $pre_days before the release, over
-- the part of that window the device events cover (from the first event's day); null when
-- they cover none of it (a release on or before the first event day, or no device events).
DELETE FROM fact_patch;

INSERT INTO fact_patch BY NAME
WITH fleet AS (
    SELECT greatest(count(*), 1) AS n_devices FROM dim_device
),
exposure AS (
    SELECT firmware_version, sum(devices) AS exposed_devices FROM patch_exposure GROUP BY ALL
),
post AS (
    SELECT firmware_version, sum(errors) AS errors, sum(rma_count) AS rma_count
    FROM fact_device_daily
    WHERE days_since_release >= 0 AND days_since_release < $window_days
    GROUP BY ALL
),
first_event AS (
    SELECT min(event_time)::DATE AS day FROM raw_device_event
),
pre AS (
    SELECT r.firmware_version, count(e.event_time) AS errors,
           CASE WHEN any_value(f.day) IS NOT NULL
                THEN least($pre_days, r.release_date - any_value(f.day)) END AS covered_days
    FROM dim_release r
    CROSS JOIN first_event f
    LEFT JOIN raw_device_event e
      ON e.event_time >= r.release_date - to_days($pre_days) AND e.event_time < r.release_date
    GROUP BY r.firmware_version, r.release_date
),
joined AS (
    SELECT r.*, x.exposed_devices,
           CASE WHEN pre.covered_days > 0
                THEN pre.errors * 10000.0 / (f.n_devices * pre.covered_days)
           END AS pre_error_rate_per_10k,
           coalesce(r.release_date + to_days($window_days) <= $as_of AND x.exposed_devices > 0, false)
               AS window_closed,
           p.errors * 10000.0 / nullif(x.exposed_devices * $window_days, 0) AS computed_error_rate,
           p.rma_count / nullif(x.exposed_devices, 0) AS computed_rma_rate
    FROM dim_release r
    CROSS JOIN fleet f
    LEFT JOIN exposure x USING (firmware_version)
    LEFT JOIN post p USING (firmware_version)
    LEFT JOIN pre USING (firmware_version)
)
SELECT firmware_version, release_date, patch_type, patch_size_mb, files_changed, lines_added,
       lines_deleted, code_churn, prev_error_rate, mean_device_age_days,
       coalesce(len(touched_features), 0) AS n_touched_features, touched_features,
       exposed_devices, pre_error_rate_per_10k,
       CASE WHEN error_rate_per_10k IS NOT NULL THEN error_rate_per_10k
            WHEN window_closed THEN coalesce(computed_error_rate, 0) END AS error_rate_per_10k,
       CASE WHEN rma_rate IS NOT NULL THEN rma_rate
            WHEN window_closed THEN coalesce(computed_rma_rate, 0) END AS rma_rate,
       CASE WHEN error_rate_per_10k IS NOT NULL THEN 'given'
            WHEN window_closed THEN 'events' END AS outcome_source,
       error_rate_per_10k IS NOT NULL OR window_closed AS outcome_mature
FROM joined;
