DELETE FROM drift_report WHERE run_id = $run_id;
