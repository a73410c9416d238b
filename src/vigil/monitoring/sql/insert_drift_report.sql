-- drift_rows: a frame registered by store.py, one row per column.
INSERT INTO drift_report BY NAME SELECT * FROM drift_rows;
