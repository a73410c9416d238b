"""Baselines and drift monitoring.

    settings.py        DriftSettings (config section ``drift``)
    drift.py           detect_drift(reference, current, settings) -> DriftReport   (public API)
    baselines.py       compute_baseline(df) -> dict, per-feature baselines, the JSON file
    kinds.py           numeric / categorical / binary: inferred or given
    measures.py        one column measured (test, statistic, PSI, missing share)
    stats.py           KS, chi-square, z-test, Wasserstein, Jensen-Shannon, PSI, Holm
    reasons.py         the sentence behind each verdict
    windows.py         the reference / current day windows over fact_feature_daily
    store.py           warehouse tables drift_report, drift_summary, drift_baseline
    baseline_store.py  the stored baseline's life cycle (refresh only when asked)
    stage.py           run_stage(ctx) for `vigil run`
    files.py           reading the CSV / Parquet samples for `vigil drift`

Nothing is imported here: vigil.config imports the settings, and the CLI must start fast.
"""
