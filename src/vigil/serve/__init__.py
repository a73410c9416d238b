"""Live ingest over HTTP (`vigil serve`): validated events to an fsync'd log, rolled into batches.

request -> auth -> body (size, gzip, JSON array | NDJSON) -> events (ingest's mapping and
validation) -> journal (event_id dedupe + append-only log, fsync'd before the 202)
-> roller (sealed log segments -> Parquet micro-batches in the workspace inbox)
-> `vigil run` ingests the inbox like any input file, each batch once (content hash)
"""
