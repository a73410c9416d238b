DELETE FROM drift_summary WHERE run_id = $run_id;
