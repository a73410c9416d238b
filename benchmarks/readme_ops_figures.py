"""README figure renderers for the operations benchmarks (canary, closed loop, live ingest,
engines, the browser-measured dashboard); registered by readme_figures.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from figure_format import f3, load, table, with_ci


def _pr(entry: dict[str, Any], key: str) -> str:
    value, ci = entry.get(key), (entry.get("interval_90") or {}).get(key)
    return with_ci({"value": value, "ci90": ci})


def canary(results: Path) -> str:
    """Canary judge vs a Kayenta-default re-implementation on the same releases."""
    data = load(results, "canary")
    report, protocol = data["report"], data["protocol"]
    rows = []
    names = {"canary": "vigil canary", "kayenta": "Kayenta-style (Mann-Whitney on every metric)"}
    for point, label in (("at_fixed_false_fail_rate", "tuned"), ("at_defaults", "defaults")):
        for method in ("canary", "kayenta"):
            entry = report[point][method]
            rows.append(
                [
                    f"{names[method]}, {label}: `{entry['operating_point']}`",
                    _pr(entry, "precision"),
                    _pr(entry, "recall"),
                    _pr(entry, "false_fail_rate"),
                ]
            )
    caption = (
        f"{report['releases']} releases on report seeds "
        f"{', '.join(map(str, protocol['report_seeds']))}; operating points chosen on seeds "
        f"{', '.join(map(str, protocol['tuning_seeds']))} for a false-fail rate of at most "
        f"{protocol['target_false_fail_rate']:.0%}.\n\n"
    )
    return caption + table(["judge", "precision", "recall", "false-fail rate"], rows)


MODEL_NAMES = {
    "catboost_telemetry": "CatBoost on telemetry labels",
    "catboost_truth": "CatBoost on true labels",
    "catboost_file": "CatBoost on file labels",
    "churn_rule_none": "churn rule, no labels",
}


def closed_loop(results: Path) -> str:
    """Attribution precision / recall and the patch model on telemetry vs true labels."""
    data = load(results, "closed_loop")
    att = data["attribution"]
    rows = []
    for scope in ("feature", "firmware"):
        for who, label in (("ours", "vigil"), ("nearest_touching_baseline", "nearest touching")):
            m = att[scope][who]
            rows.append([scope, label, f3(m["precision"]), f3(m["recall"]), f3(m["f1"])])
    first = table(["regression scope", "attribution", "precision", "recall", "F1"], rows)
    model = data["patch_model"]["feature"]
    rows = [
        [name, with_ci(model["models"][key]["roc_auc_within_world"])]
        for key, name in MODEL_NAMES.items()
    ]
    second = table(
        [
            f"patch model, {model['n_test']} test releases ({model['n_test_positive']} regressed)",
            "ROC-AUC within world (90% CI)",
        ],
        rows,
    )
    return first + "\n" + second


def ingest_http(results: Path) -> str:
    """Live ingest throughput and latency on loopback."""
    data = load(results, "ingest_http")
    load_avg = data["machine"]["load_average_1m"]
    rows = [
        [
            str(r["batch_events"]),
            f"{r['events_per_second']:,.0f}",
            f"{r['latency_ms_p50']:.0f} ms",
            f"{r['latency_ms_p99']:.0f} ms",
        ]
        for r in data["http"]
    ]
    caption = (
        f"{data['http'][0]['clients']} concurrent clients, {data['machine']['cpus']} cores, "
        f"machine load average {load_avg['before']:.1f} at the start.\n\n"
    )
    return caption + table(["events per request", "events / s", "p50", "p99"], rows)


def engines(results: Path) -> str:
    """DuckDB and Spark local on the same events: time, memory, events per second, parity."""
    data = load(results, "engines")
    labels = {"duckdb_2": "DuckDB, 2 threads", "duckdb_1": "DuckDB, 1 thread"}
    labels["spark_2"] = "Spark local[2]"
    rows = []
    for key, label in labels.items():
        r = data["results"].get(key) or {}
        if "seconds" not in r:
            continue
        start = r.get("session_start_seconds") or 0.0
        rows.append(
            [
                label,
                f"{r['seconds']:,.1f} s" + (f" (+{start:.0f} s start)" if start else ""),
                f"{r['events_per_second']:,}",
                f"{r['peak_rss_mb'] / 1024:.1f} GB",
            ]
        )
    parity = data["parity"]["spark_2"]
    worst = max(parity["float_max_relative_difference"].values())
    load_avg = data["load_average_1_5_15"]["start"]
    caption = (
        f"{data['events']:,} events, {data['features']} features × {data['days']} days, "
        f"{data['cpus']} cores (load average {load_avg[0]:.1f} during the run: other work shared "
        f"the machine). Parity: {parity['rows_matched_on_key']:,} feature-days matched, "
        f"{parity['count_and_sum_mismatches']} count or sum mismatches, largest relative "
        f"difference of a float {worst:.1e}.\n\n"
    )
    return caption + table(["engine", "aggregation", "events / s", "peak memory"], rows)


def _pair(times: dict[str, float]) -> str:
    return f"{times['insights_s']:.1f} s / {times['complete_s']:.1f} s"


def dashboard_browser(results: Path) -> str:
    """Overview in headless Chromium: navigation until insights, charts and tables are visible."""
    runs = load(results, "dashboard_browser")["runs"]
    rows = []
    for label, run in runs.items():
        load_avg = run.get("load_average_1min") or [None]
        rows.append(
            [
                f"{label} (`{run['git_commit'][:7]}`)",
                _pair(run["first_visit"]),
                _pair(run["warm_median"]),
                "-" if load_avg[0] is None else f"{load_avg[0]:.1f}",
            ]
        )
    header = ["", "first visit: insights / all", "warm: insights / all", "load average"]
    return table(header, rows)


def load_half(results: Path) -> str:
    """The load half of `vigil run` (ingest + aggregate + quality), before / after, and at 200M."""
    rows = []
    quiet = load(results, "load_profile_20000000")
    for label, r in quiet["results"].items():
        stage = r["stage_seconds"]
        rows.append(
            [
                f"20M events, {label}",
                f"{r['seconds']:.1f} s",
                f"{stage['ingest']:.1f} s",
                f"{stage['aggregate']:.1f} s",
                f"**{r['load_over_aggregate']:.2f}×**",
                f"{r['peak_rss_mb'] / 1024:.1f} GB",
            ]
        )
    for name in ("load_profile_200000000", "load_profile_200000000_1gb"):
        r = load(results, name)["results"]["after"]
        stage, engine = r["stage_seconds"], r["engine"]
        rows.append(
            [
                f"200M events, memory limit {engine['memory_limit']} "
                f"(spilled {r['spill_peak_mb'] or 0:.0f} MB)",
                f"{r['seconds']:,.0f} s",
                f"{stage['ingest']:,.0f} s",
                f"{stage['aggregate']:,.0f} s",
                f"{r['load_over_aggregate']:.2f}×",
                f"{r['peak_rss_mb'] / 1024:.1f} GB",
            ]
        )
    header = ["run", "load half", "ingest", "aggregate", "load ÷ aggregate", "peak RSS"]
    return table(header, rows)
