INSERT INTO drift_baseline BY NAME SELECT * FROM drift_rows;
