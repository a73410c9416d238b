"""README figures from benchmarks/results/*.json: the README quotes no number by hand.

Usage: .venv/bin/python benchmarks/readme_figures.py [--check]

Each figure block in README.md sits between ``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->``
and is rendered here from the JSON that the benchmark NAME wrote. Without ``--check`` the blocks
are rewritten in place; with it, the script exits 1 naming every block that disagrees with the
JSON (tests/foundation/test_readme_figures.py runs the same check).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE.parent / "README.md"
BLOCK = re.compile(
    r"(<!-- figures:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.S
)

Renderer = Callable[[Path], str]

sys.path.insert(0, str(HERE))  # the sibling modules below, also when imported as benchmarks.*
from figure_format import f1, load, pct_ci, table, with_ci  # noqa: E402
from readme_ops_figures import (  # noqa: E402
    canary,
    closed_loop,
    dashboard_browser,
    engines,
    ingest_http,
    load_half,
)


def performance(results: Path) -> str:
    """Speed: aggregation at 20M and 200M events, gate cold start, dashboard load."""
    agg = load(results, "aggregate_20000000")
    big = load(results, "aggregate_200000000")["results"]["vigil"]
    gate = load(results, "gate_cold_start")
    dash = load(results, "dashboard_load")
    r, ratio = agg["results"], agg["ratios"]
    rows = [
        [
            "raw events → `fact_feature_daily`, 20M events, 300 features × 365 days",
            "`python benchmarks/aggregate.py --events 20000000 --with-run`",
            f"vigil {r['vigil']['seconds']:.1f} s vs hand-written DuckDB query "
            f"{r['floor']['seconds']:.1f} s (**{ratio['vigil_over_floor']:.2f}×**); pandas "
            f"{r['pandas']['seconds']:.1f} s (**{ratio['pandas_over_vigil']:.2f}×** slower); "
            f"whole `vigil run` load half {r['vigil_run']['seconds']:.0f} s",
        ],
        [
            "the same at 200M events",
            "`python benchmarks/aggregate.py --events 200000000 --only vigil`",
            f"vigil {big['seconds']:.1f} s at {big['peak_rss_mb'] / 1024:.1f} GB peak RSS",
        ],
        [
            "`vigil gate` on 100 patches, fresh process",
            "`python benchmarks/gate_cold_start.py`",
            f"{gate['gate_median_s']:.2f} s median (`python -c pass`: "
            f"{gate['python_pass_median_s']:.2f} s)",
        ],
        [
            "dashboard overview, 300 features × 365 days",
            "`python benchmarks/dashboard_load.py`",
            f"{dash['load_s_median']:.2f} s median cold load (target {dash['target_s']:.0f} s)",
        ],
    ]
    return table(["what", "command", "result"], rows)


def jit(results: Path) -> str:
    """JIT defect prediction against the published rows of the ISSTA 2021 paper."""
    data = load(results, "jit")["projects"]
    rows = []
    for name, project in data.items():
        m, published = project["rows"], project["published_auc"]
        best = max(published, key=published.__getitem__)
        rows.append(
            [
                name,
                f"**{m['model']['auc']:.3f}**",
                f"{published[best]:.3f} ({best})",
                f"{m['lr_all_columns']['auc']:.3f}",
                f"{m['model']['popt']:.3f}",
                f"{m['smallest_change_first']['popt']:.3f}",
            ]
        )
    header = [
        "project",
        "test AUC",
        "best published",
        "LR all columns",
        "Popt",
        "smallest-first Popt",
    ]
    return table(header, rows)


NAB_PROFILES = {
    "standard": "standard",
    "reward_low_FP_rate": "low FP",
    "reward_low_FN_rate": "low FN",
}


def nab(results: Path) -> str:
    """NAB: leave-one-category-out scores (the headline) beside tuned-on-all and the peers."""
    data = load(results, "nab")
    rows = [
        [
            "**vigil, leave-one-category-out** (held out)",
            *[f"**{f1(data['loco'][p]['normalised'])}**" for p in NAB_PROFILES],
        ],
        [
            "vigil, tuned on all 41 files (tuned on test)",
            *[f1(data["tuned_on_all"][p]["normalised"]) for p in NAB_PROFILES],
        ],
    ]
    for name, score in data["published_same_files_standard"].items():
        rows.append([f"{name} (published, threshold swept on these 41 files)", f1(score), "", ""])
    out = table(["detector on the 41 shipped files", *NAB_PROFILES.values()], rows)
    cost = data["cost"]
    out += (
        f"\nCost: {cost['seconds_per_10k_points']:.2f} s per 10,000 points; a 22,000-point series "
        f"takes {cost['seconds_22k_series']:.2f} s. Full 58-file corpus, published (not comparable "
        "file for file): "
        + ", ".join(f"{k} {v}" for k, v in data["published_full_corpus_standard"].items())
        + ".\n\nAblation (standard profile, each variant re-tuned per fold):\n\n"
    )
    ablation = [
        [a["variant"], f1(a["loco_standard"]), f1(a["tuned_on_all_standard"])]
        for a in data["ablation"]
    ]
    return out + table(["variant", "leave-one-category-out", "tuned on all"], ablation)


def attention(results: Path) -> str:
    """The attention list's precision@k against the generator's truth, beside baselines."""
    data = load(results, "attention")
    rows = [
        [
            f"**attention list** (budget {data['budget']})",
            f"**{with_ci(data['precision_at_k']['5'])}**",
            f"**{with_ci(data['precision_at_k']['10'])}**",
        ]
    ]
    names = {
        "old_overview": "old overview list",
        "risk_only": "feature risk alone",
        "random": "random",
    }
    for key, label in names.items():
        base = data["baselines"][key]
        rows.append([label, with_ci(base["5"]), with_ci(base["10"])])
    fleet = data["fleet"]
    out = table(["list", "precision@5", "precision@10"], rows)
    out += (
        f"\nItems a day: {data['items_per_day']['mean']:.0f} (the old overview raised "
        f"{data['old_overview_lines_per_day']['mean']:.0f} lines a day). Fleet immediate tier: "
        f"precision {with_ci(fleet['immediate_precision'])} with "
        f"{fleet['immediate_per_day']['mean']:.0f} segments a day, against "
        f"{with_ci(fleet['baselines']['old_cutoff_2.0'])} with "
        f"{fleet['old_immediate_per_day']['mean']:.0f} a day under the old cut-off.\n"
    )
    return out


def cold_start(results: Path) -> str:
    """The cold-start rules beside the two simple baselines on the feature-risk test rows."""
    data = load(results, "cold_start_rules")
    rows = []
    for view, label in (("all_rows", "all test rows"), ("new_onset", "new onsets")):
        part = data[view]
        rows.append(
            [
                f"{label} ({part['rows']:,} rows, base rate {part['base_rate']:.3f})",
                with_ci(part["rules"]["pr_auc"]),
                with_ci(part["persistence"]["pr_auc"]),
                with_ci(part["recent_deploy"]["pr_auc"]),
            ]
        )
    header = ["PR-AUC on", "cold-start rules", "persistence", "recent risky deployment"]
    return table(header, rows)


def incomplete_days(results: Path) -> str:
    """Anomalies on a day still arriving: held back vs scored as if complete."""
    data = load(results, "incomplete_days")
    rows = []
    for size, run in data.items():
        guarded, naive = run["guarded"], run["scored_as_complete"]
        usage = run["usage"]
        rows.append(
            [
                f"{size} world, {run['partial_day']} at {run['run_clock'][11:16]}",
                " vs ".join(f"{v:,}" for v in usage.values()),
                f"{naive['anomalies']} on {naive['features_flagged']} features",
                f"**{guarded['anomalies']}**",
            ]
        )
    header = [
        "day still arriving",
        "events (day before vs partial day)",
        "scored as complete",
        "vigil",
    ]
    return table(header, rows)


SCORERS = {
    "model": "CatBoost + deployment hazard",
    "persistence": "persistence (already elevated)",
    "recent_deploy": "recent risky deployment",
}


def _risk_rows(part: dict[str, Any]) -> list[list[str]]:
    rows = []
    for key, label in SCORERS.items():
        m = part[key]
        lead = m["lead_time_days"]
        rows.append(
            [
                label,
                with_ci(m["pr_auc"]),
                with_ci(m["roc_auc"]),
                f"{f1(lead['median'])} ({f1(lead['ci90'][0])}–{f1(lead['ci90'][1])}) on "
                f"{lead['n_regressions']}",
            ]
        )
    return rows


def feature_risk(results: Path) -> str:
    """Feature risk on new onsets (headline: the generator's truth; beside it the telemetry
    label the model trains on) and all rows, on report worlds run once after the freeze."""
    data = load(results, "feature_risk")
    seeds = ", ".join(str(w["seed"]) for w in data["worlds"])
    rows = data["rows"]
    header = ["scorer", "PR-AUC", "ROC-AUC", "lead time, median days (90% CI) on regressions"]
    out = (
        f"Report worlds (seeds {seeds}), run once after every setting was frozen on other, "
        "tuning worlds (`docs/protocols/feature_risk_new_onset.md`). "
        f"{rows['new_onset']:,} new-onset test rows (no true regression active).\n\n"
    )
    for suffix, title in (
        ("_truth", "target: a true regression starts within the horizon"),
        ("", "target: the telemetry label the model trains on"),
    ):
        base = data[f"base_rate_new_onset{suffix}"]
        out += f"**New onsets, {title}** (base rate {base:.3f}):\n\n"
        out += table(header, _risk_rows(data[f"new_onset{suffix}"])) + "\n"
        diff = data[f"model_minus_baseline_new_onset{suffix}"]
        out += (
            "Model minus baseline (paired bootstrap): PR-AUC "
            f"{with_ci(diff['persistence']['pr_auc'])} against persistence, "
            f"{with_ci(diff['recent_deploy']['pr_auc'])} against recent risky deployment; "
            f"ROC-AUC {with_ci(diff['recent_deploy']['roc_auc'])} against recent risky "
            "deployment.\n\n"
        )
    out += f"**All test rows** ({rows['test']:,}), telemetry label:\n\n"
    out += table(header, _risk_rows(data["all_rows"]))
    return out


PATCH_MODELS = {
    "catboost": "CatBoost (calibrated, served by the gate)",
    "logistic_regression": "logistic regression",
    "random_forest": "random forest",
    "walk_forward_lr": "walk-forward logistic regression",
    "churn_rule": "rule: biggest change riskiest",
    "prev_error_rate_rule": "rule: previous error rate",
}


def patch_risk(results: Path) -> str:
    """Patch risk on pooled held-out releases: metrics, catch curve, calibration, peers."""
    data = load(results, "patch_risk")
    w = data["worlds"]
    out = (
        f"{len(w['seeds'])} worlds (seeds {', '.join(map(str, w['seeds']))}, {w['days']} days from "
        f"{w['start_date']}): {w['n_test_releases']} test releases, {w['n_test_positives']} high "
        "risk.\n\n"
    )
    rows = []
    for key, label in PATCH_MODELS.items():
        m = data["models"][key]
        rows.append(
            [
                label,
                with_ci(m["roc_auc"]),
                with_ci(m["pr_auc"]),
                with_ci(m.get("brier")),
                with_ci(m.get("ece")),
            ]
        )
    out += table(["model", "ROC-AUC", "PR-AUC", "Brier", "ECE"], rows)
    out += "\nShare of high-risk releases caught when gating the riskiest 5 / 10 / 20 / 50%:\n\n"
    shares = ("5", "10", "20", "50")
    catch = []
    for key in ("catboost", "logistic_regression", "churn_rule", "random"):
        label = PATCH_MODELS.get(key, key)
        catch.append([label, *[pct_ci(data["catch_curve"][key][k]) for k in shares]])
    meta = data["published"]["meta_diff_risk_score_lr"]
    catch.append(
        [
            "Meta Diff Risk Score, logistic regression (published; diffs, not releases)",
            *[f"{meta[k]}%" if k in meta else "–" for k in shares],
        ]
    )
    out += table(["gate", *[f"{k}%" for k in shares]], catch)
    truth = data["truth_view"]["models"]["catboost"]
    out += (
        "\nAgainst the generator's truth (a release that caused at least one regression): "
        f"CatBoost ROC-AUC {with_ci(truth['roc_auc'])}.\n"
    )
    return out


RENDERERS: dict[str, Renderer] = {
    "feature_risk": feature_risk,
    "patch_risk": patch_risk,
    "performance": performance,
    "jit": jit,
    "nab": nab,
    "attention": attention,
    "cold_start": cold_start,
    "incomplete_days": incomplete_days,
    "canary": canary,
    "closed_loop": closed_loop,
    "ingest_http": ingest_http,
    "engines": engines,
    "dashboard_browser": dashboard_browser,
    "load_half": load_half,
}


def render(text: str, results: Path = RESULTS) -> tuple[str, list[str]]:
    """README text with every figure block re-rendered, and the names of blocks that changed."""
    changed: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in RENDERERS:
            raise SystemExit(f"Error: README block '{name}' has no renderer in {__file__}")
        body = RENDERERS[name](results)
        if body != match.group("body"):
            changed.append(name)
        return f"{match.group(1)}{body}{match.group(4)}"

    return BLOCK.sub(fill, text), changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is stale")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args()
    text = args.readme.read_text()
    new, changed = render(text)
    if args.check:
        if changed:
            print(f"README figures disagree with benchmarks/results: {', '.join(changed)}")
            return 1
        print("README figures agree with benchmarks/results")
        return 0
    args.readme.write_text(new)
    print(f"rewrote {len(changed)} block(s): {', '.join(changed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
