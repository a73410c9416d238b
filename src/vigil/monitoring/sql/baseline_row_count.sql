SELECT count(*) FROM drift_baseline;
