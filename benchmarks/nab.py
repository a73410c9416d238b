"""NAB benchmark for Vigil's generic causal detector (`vigil.detection.series.score_series`).

Usage: nice -n 5 .venv/bin/python benchmarks/nab.py [--data DIR] [--out FILE]
(defaults: benchmarks/data/nab, benchmarks/results/nab.json)

Headline protocol: leave-one-category-out (LOCO). The 41 files fall in 5 categories (the data/
subfolders). For each category, every setting in the search space (window variant, suppression
gap, threshold) is chosen on the other four categories only, then the held-out category is scored
with it; the raw, null and perfect scores of all 41 files are summed and normalised once per
profile. Scoring follows NAB's rules (nab_scoring.py). Beside it: the settings tuned on all 41
files (the shipped defaults; tuned on the test files, so optimistic), NAB's published detectors on
the same files, an ablation of the ensemble's components, and the cost.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from nab_loco import (  # noqa: E402
    THRESHOLDS,
    Choice,
    Config,
    ScoredFile,
    SearchSpace,
    Variant,
    leave_one_category_out,
    tune,
)
from nab_scoring import (  # noqa: E402,F401  (re-exported for the tests)
    PROFILES,
    Labelled,
    NabFile,
    corpus_score,
    load_corpus,
    null_and_perfect_checks,
    probation_rows,
    scaled_sigmoid,
)
from vigil.detection import components as comp  # noqa: E402
from vigil.detection.series import (  # noqa: E402
    component_scores,
    infer_period,
    likelihood,
    score_series,
)
from vigil.detection.settings import SeriesSettings  # noqa: E402

DEFAULT_DATA = HERE / "data" / "nab"
DEFAULT_OUT = HERE / "results" / "nab.json"

ALL_ROWS = 1_000_000  # a likelihood history longer than any series: all of it
DISCORD_LENGTHS = SeriesSettings().discord_lengths
# The ensemble's parts as the benchmark keeps them: the discord once per subsequence length.
PARTS = (
    *(c for c in comp.COMPONENTS if c != "discord"),
    *(f"discord_{m}" for m in DISCORD_LENGTHS),
)
SPACE = SearchSpace(
    variants=tuple(
        Variant(short, long, warmup)
        for short in (10, 20)
        for long in (1000, ALL_ROWS)
        for warmup in (100, 300)
    ),
    components=PARTS,
    suppress_rows=(30, 100),
)
PUBLISHED_SAME_FILES_STANDARD = {
    "CAD OSE": 75.89,
    "Numenta HTM": 75.52,
    "ARTime": 74.60,
    "KNN CAD": 58.53,
    "Windowed Gaussian": 41.42,
}
PUBLISHED_FULL_CORPUS_STANDARD = {
    "ARTime": 74.9,
    "Numenta HTM": 70.5,
    "CAD OSE": 69.9,
    "KNN CAD": 58.0,
    "Relative Entropy": 54.6,
    "Twitter ADVec": 47.1,
    "Windowed Gaussian": 39.6,
    "Etsy Skyline": 35.7,
    "Bayesian Changepoint": 17.7,
}
PROTOCOL = (
    "Leave-one-category-out on the 41 files of benchmarks/data/nab (5 categories: the data/ "
    "subfolders). For each category, every setting the search space offers (likelihood short "
    "window {10, 20} rows, likelihood history {1000 rows, all}, likelihood warm-up {100, 300} "
    "rows, suppression gap {30, 100} rows, threshold swept over 0.05..1.0) is chosen by "
    "maximising the NAB score of the other four "
    "categories; the held-out category is scored with that choice. Raw, null and perfect scores "
    "of all 41 files (each scored with settings tuned without its category) are summed and "
    "normalised once per profile: 100 * (raw - null) / (perfect - null). Scoring re-implements "
    "NAB's rules (nab_scoring.py). As in NAB, each detector is told the file's probation length "
    "(min_samples) and never sees future rows."
)
NOTES = [
    "loco is the headline: no setting used to score a category was chosen on that category.",
    "tuned_on_all picks the same search space on all 41 files, i.e. on the files it is scored "
    "on (optimistic). The shipped SeriesSettings defaults are these standard-profile settings; "
    "the loco score is the honest estimate of how those defaults generalise.",
    "published_same_files_standard: NAB's stored results of the published detectors on exactly "
    "these 41 files, standard profile, threshold swept on these 41 files (tuned on test, like "
    "tuned_on_all). published_full_corpus_standard: NAB's README figures on all 58 files, "
    "indicative only.",
    "The search space itself (which windows and gaps to offer), the components and their fixed "
    "settings (level window 300 rows, novelty scale 0.3, context 12 bins x 2 values, discord "
    "lengths 5 and 20 rows, nearest neighbour searched over the last 5000 rows, i.e. all history "
    "on these files) were designed by a developer who had seen scores on "
    "these files, including leave-one-category-out scores of design alternatives; loco holds "
    "out every choice made within the space, not the design of the space.",
    "artificialNoAnomaly has no labelled window, so its fold has no normalised score of its own "
    "(null == perfect == 0); its false positives still count in the pooled score.",
    "ablation: LOCO standard score of the ensemble with each component removed, and each "
    "component alone, re-tuned per fold over the same search space.",
    "Like with like: tuned_on_all (threshold and settings chosen on these 41 files) compares with "
    "published_same_files_standard (threshold chosen on these 41 files); loco is stricter than "
    "both. One window found or missed moves the pooled score by about 1.5 points, so a LOCO "
    "margin of under a point over CAD OSE's 75.89 is level with it, not clearly above.",
    "Fixed design choices made after seeing scores on all 41 files (LOCO and tuned-on-all) and "
    "therefore not held out: the season component on the de-levelled seasonal difference, "
    "discords at lengths 5 and 20, the discord look-back of 5000 rows (300 and 1000 scored "
    "lower), and offering the likelihood over all history in the search space.",
    "Design alternatives tried in exploration and dropped (their scores are not reproduced by "
    "this script): tuning per-component weights per fold (LOCO lower, the weights overfit), a "
    "per-file adaptive threshold from the past score quantiles, empirical (rank) tail "
    "probabilities instead of the Gaussian likelihood, a CUSUM component, record-based scores, "
    "a seasonal residual against the median of past seasons, and Bayesian online change-point "
    "detection (probability of a change within the last 5 rows; slow in Python and far lower "
    "alone); each lowered the LOCO score.",
    "sensitivity.loco_threshold_only: LOCO with only the threshold tuned per fold and every other "
    "setting fixed at the shipped defaults (chosen on all 41 files), so NOT a held-out figure; "
    "it shows how much of the gap between loco and tuned_on_all comes from folds choosing a "
    "different window or suppression setting.",
]
COST_POINTS = 22_000
COST_REPEATS = 3


def file_settings(nab: NabFile, variant: Variant) -> SeriesSettings:
    """Detector settings for one file: the variant's windows, the file's probation as guard."""
    return SeriesSettings(
        min_samples=max(3, probation_rows(nab.labelled.n)),
        likelihood_short=variant.likelihood_short,
        likelihood_long=variant.likelihood_long,
        likelihood_warmup=variant.likelihood_warmup,
    )


def score_corpus(corpus: list[NabFile], space: SearchSpace) -> list[ScoredFile]:
    """Every part's score per file and variant, computed once (probation rows zeroed). The
    discord is kept per length; the detector combines lengths and components alike by max."""
    scored = []
    for nab in corpus:
        period = infer_period(nab.timestamps)
        defaults = SeriesSettings()
        discords = comp.log_discords(
            nab.values, defaults.discord_lengths, defaults.discord_lookback
        )
        per_variant = {}
        for variant in space.variants:
            p = file_settings(nab, variant)
            names = [c for c in comp.COMPONENTS if c != "discord"]
            parts = component_scores(nab.values, period, p, names=names)
            for m, raw in discords.items():
                parts[f"discord_{m}"] = likelihood(raw, p)
            for score in parts.values():
                score[: p.min_samples] = 0.0
            per_variant[variant] = parts
        scored.append(ScoredFile(nab, per_variant))
    return scored


def fold_report(files: list[ScoredFile], profile: str, space: SearchSpace) -> dict[str, object]:
    overall, folds = leave_one_category_out(files, space, profile)
    return {
        "normalised": overall,
        "per_fold": {
            fold.category: {
                "chosen_settings": fold.choice.as_dict(),
                "tuned_normalised_on_other_four": fold.choice.tuned_normalised,
                "normalised_on_fold": fold.normalised,
                "raw_on_fold": fold.raw,
                "files": fold.files,
            }
            for fold in folds
        },
    }


def ablation(files: list[ScoredFile]) -> list[dict[str, object]]:
    """LOCO standard score with each component removed, and each alone."""
    groups = {c: (c,) for c in comp.COMPONENTS if c != "discord"}
    groups["discord"] = tuple(p for p in PARTS if p.startswith("discord_"))
    variants: list[tuple[str, tuple[str, ...]]] = [("full ensemble", PARTS)]
    variants += [(f"without {g}", tuple(p for p in PARTS if p not in groups[g])) for g in groups]
    variants += [(f"{g} alone", parts) for g, parts in groups.items()]
    variants += [
        (f"discord at length {m} only", tuple(p for p in PARTS if p != f"discord_{other}"))
        for m in DISCORD_LENGTHS
        for other in DISCORD_LENGTHS
        if other != m
    ]
    rows = []
    for name, parts in variants:
        space = SearchSpace(SPACE.variants, parts, SPACE.suppress_rows)
        score, _ = leave_one_category_out(files, space, "standard")
        tuned = tune(files, space, "standard")
        rows.append(
            {
                "variant": name,
                "parts": list(parts),
                "loco_standard": score,
                "tuned_on_all_standard": tuned.tuned_normalised,
            }
        )
        print(f"  {name:>28}: loco {score:6.2f}  tuned on all {tuned.tuned_normalised:6.2f}")
    return rows


def shipped_defaults_score(corpus: list[NabFile]) -> tuple[dict[str, float], float, int]:
    """The shipped defaults run through `score_series` itself (the path users get), standard
    profile, with the seconds and points it took."""
    started = time.perf_counter()
    detections = []
    for nab in corpus:
        p = SeriesSettings(min_samples=max(3, probation_rows(nab.labelled.n)))
        scores = score_series(nab.values, nab.timestamps, p)
        detections.append(scores >= p.threshold)
    seconds = time.perf_counter() - started
    labelled = [nab.labelled for nab in corpus]
    result = corpus_score(labelled, detections, PROFILES["standard"])
    return result, seconds, sum(nab.labelled.n for nab in corpus)


def cost_of_long_series(corpus: list[NabFile]) -> float:
    """Seconds for `score_series` on one 22,000-point series (NAB AWS files laid end to end),
    best of COST_REPEATS runs."""
    values = np.concatenate([n.values for n in corpus if n.category == "realAWSCloudwatch"])
    values = values[:COST_POINTS]
    ts = np.datetime64("2026-01-01T00:00:00") + np.arange(len(values)) * np.timedelta64(5, "m")
    timings = []
    for _ in range(COST_REPEATS):  # best of a few: other work on a shared machine only adds
        started = time.perf_counter()
        score_series(values, ts)
        timings.append(time.perf_counter() - started)
    return min(timings)


def per_file(files: list[ScoredFile], choice: Choice) -> list[dict[str, object]]:
    """One row per file at the tuned-on-all standard settings."""
    weights = PROFILES["standard"]
    rows: list[dict[str, object]] = []
    for f in files:
        lab = f.nab.labelled
        counts = lab.score(f.detections(choice.config, choice.threshold), weights)
        rows.append({"file": f.name, "rows": lab.n, "windows": lab.n_windows, **counts})
    return rows


def defaults_config() -> tuple[Config, float]:
    """The shipped defaults as a benchmark config and threshold."""
    p = SeriesSettings()
    variant = Variant(p.likelihood_short, p.likelihood_long, p.likelihood_warmup)
    parts = tuple(
        part
        for c in p.components
        for part in ([f"discord_{m}" for m in p.discord_lengths] if c == "discord" else [c])
    )
    return Config(variant, parts, p.suppress_rows), p.threshold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = load_corpus(args.data)
    labelled = [nab.labelled for nab in corpus]
    files = score_corpus(corpus, SPACE)
    print(f"component scores for {len(files)} files in {time.perf_counter() - started:.1f}s")

    loco, tuned_on_all = {}, {}
    for profile in PROFILES:
        loco[profile] = fold_report(files, profile, SPACE)
        choice = tune(files, SPACE, profile)
        tuned_on_all[profile] = {
            "normalised": choice.tuned_normalised,
            "threshold": choice.threshold,
            "chosen_settings": choice.as_dict(),
        }
        print(
            f"{profile:>20}: LOCO {loco[profile]['normalised']:6.2f}   "
            f"tuned on all 41 {choice.tuned_normalised:6.2f} (threshold {choice.threshold})"
        )
    best = tune(files, SPACE, "standard")
    config, threshold = defaults_config()
    defaults_match = (set(config.components), config.variant, config.suppress_rows, threshold) == (
        set(best.config.components),
        best.config.variant,
        best.config.suppress_rows,
        best.threshold,
    )
    shipped, detect_seconds, points = shipped_defaults_score(corpus)
    print(f"shipped defaults via score_series: {shipped['normalised']:.2f} ({defaults_match=})")
    long_seconds = cost_of_long_series(corpus)
    config, _ = defaults_config()
    fixed = SearchSpace((config.variant,), config.components, (config.suppress_rows,))
    sensitivity = {
        "loco_threshold_only": {
            profile: leave_one_category_out(files, fixed, profile)[0] for profile in PROFILES
        }
    }
    rows = ablation(files)
    result = {
        "detector": "vigil.detection.series.score_series",
        "corpus": f"NAB subset: {len(corpus)} files, {sum(n.n_windows for n in labelled)} windows, "
        f"{len({n.category for n in corpus})} categories",
        "protocol": PROTOCOL,
        "loco": loco,
        "tuned_on_all": tuned_on_all,
        "shipped_defaults": {
            "settings": SeriesSettings().model_dump(mode="json"),
            "match_tuned_on_all_standard": bool(defaults_match),
            "standard_via_score_series": shipped["normalised"],
        },
        "published_same_files_standard": PUBLISHED_SAME_FILES_STANDARD,
        "published_full_corpus_standard": PUBLISHED_FULL_CORPUS_STANDARD,
        "ablation": rows,
        "sensitivity": sensitivity,
        "cost": {
            "seconds_per_10k_points": round(detect_seconds / points * 10_000, 3),
            "seconds_22k_series": round(long_seconds, 3),
            "how": f"seconds_per_10k_points: one pass of score_series over all {points} points "
            f"of the corpus; seconds_22k_series: best of {COST_REPEATS} runs on one series; "
            "one core of a shared 2-core machine",
            "load_average_1min_at_end": round(os.getloadavg()[0], 2),
            "points_scored": points,
        },
        "checks": {
            "null_and_perfect": null_and_perfect_checks(labelled),
            "tuned_on_all_pooled_matches_scorer": bool(_same_score(files, best, labelled)),
        },
        "thresholds_swept": [float(THRESHOLDS[0]), float(THRESHOLDS[-1]), len(THRESHOLDS)],
        "per_file_standard_tuned_on_all": per_file(files, best),
        "runtime_seconds": round(time.perf_counter() - started, 1),
        "notes": NOTES,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"cost: {result['cost']}")
    print(f"checks: {result['checks']}")
    print(f"wrote {args.out} in {result['runtime_seconds']}s")


def _same_score(files: list[ScoredFile], choice: Choice, labelled: list[Labelled]) -> bool:
    """The tuner's cached pooled score equals the scorer run afresh on the same detections."""
    detections = [f.detections(choice.config, choice.threshold) for f in files]
    fresh = corpus_score(labelled, detections, PROFILES["standard"])["normalised"]
    return abs(fresh - choice.tuned_normalised) < 1e-9


if __name__ == "__main__":
    main()
