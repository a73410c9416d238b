INSERT INTO drift_summary BY NAME SELECT * FROM drift_rows;
