-- One run's verdicts, drifted columns first.
SELECT column_name, kind, test, statistic, p_value, p_value_adjusted, distance, psi,
       drifted, missing_drift, verdict, reason
FROM drift_report
WHERE run_id = $run_id
ORDER BY drifted DESC, column_name;
