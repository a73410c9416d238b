DELETE FROM drift_baseline;
