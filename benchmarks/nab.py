"""NAB benchmark for Vigil's generic causal detector (`vigil.detection.series.score_series`).

Usage: .venv/bin/python benchmarks/nab.py [--data DIR] [--out FILE]
(defaults: benchmarks/data/nab, benchmarks/results/nab.json)

Runs the detector on every file of the NAB subset in benchmarks/data/nab, then scores it with a
re-implementation of NAB's rules (nab/sweeper.py at the pinned commit, see SOURCE.md):

- each labelled window spans rows [first, last]; a detection is ``score >= threshold``;
- a window earns the scaled-sigmoid reward of its *earliest* detection (tp weight at the window
  start, falling towards the window end); an undetected window costs the fn weight;
- every detection outside a window costs the fp weight times a scaled sigmoid of its distance past
  the previous window (-1 before any window, close to 0 just after one);
- the first 15% of each file (at most 750 rows) is probation and not scored;
- normalised score = 100 * (raw - null) / (perfect - null), summed over the corpus.

As in NAB, the detection threshold is chosen per profile by maximising the corpus score; it is a
single number for the whole corpus (a property of the detector, not tuned per file). Because the
detector's repeat suppression is keyed on its own threshold, each candidate threshold re-applies
suppression to the detector's pre-suppression score. The score at the detector's fixed default
threshold is reported beside the tuned one. The detector also receives each file's probation
length as its minimum-sample guard, as NAB hands detectors the probationary period.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "nab"
DEFAULT_OUT = HERE / "results" / "nab.json"

PROFILES: dict[str, dict[str, float]] = {
    "standard": {"tp": 1.0, "fn": 1.0, "fp": 0.11},
    "reward_low_FP_rate": {"tp": 1.0, "fn": 1.0, "fp": 0.22},
    "reward_low_FN_rate": {"tp": 1.0, "fn": 2.0, "fp": 0.11},
}
PUBLISHED_STANDARD = {
    "ARTime": 74.9,
    "Numenta HTM": 70.5,
    "CAD OSE": 69.9,
    "KNN CAD": 58.0,
    "Relative Entropy": 54.6,
    "Twitter ADVec": 47.1,
    "Windowed Gaussian": 39.6,
    "Etsy Skyline": 35.7,
    "Bayesian Changepoint": 17.7,
    "null": 0.0,
    "perfect": 100.0,
}
NOTES = [
    "Published numbers are on the full 58-file NAB corpus; this is a 41-file subset, so the "
    "comparison is indicative only.",
    "The threshold is tuned per profile over the whole subset, as NAB's optimiser does; the "
    "default threshold (0.15) was also picked after looking at this subset.",
    "The detector's other settings (windows, likelihood windows, novelty scale, context bins, "
    "suppression gap) were chosen by scoring this same subset, so the figures are optimistic; "
    "threshold_two_fold_check holds out only the threshold.",
    "The detector is causal; like NAB's detectors it is told the file's probation length "
    "(min_samples), and it never sees the file's min / max in advance.",
]
PROBATION_SHARE = 0.15
PROBATION_MAX = 750


def scaled_sigmoid(position: np.ndarray) -> np.ndarray:
    """NAB's reward curve: 1 well before the window end, -1 far (> 3 widths) after it."""
    value = 2.0 / (1.0 + np.exp(5.0 * position)) - 1.0
    return np.where(position > 3.0, -1.0, value)


def probation_rows(n: int) -> int:
    """Rows NAB leaves unscored at the start of a file."""
    return int(min(math.floor(PROBATION_SHARE * n), PROBATION_SHARE * 5000))


@dataclass
class Labelled:
    """One file's rows laid out for scoring: which window each row is in, and its reward."""

    name: str
    n: int
    window_of: np.ndarray  # window index per row, -1 outside windows
    scorable: np.ndarray  # bool per row (after probation)
    unweighted: np.ndarray  # scaled-sigmoid position reward per row (tp inside, fp outside)
    n_windows: int

    @classmethod
    def build(cls, name: str, timestamps: np.ndarray, windows: list[list[str]]) -> Labelled:
        n = len(timestamps)
        window_of = np.full(n, -1)
        unweighted = np.full(n, -1.0)
        max_tp = float(scaled_sigmoid(np.array([-1.0]))[0])
        prev_right, prev_width = None, None
        bounds = [_window_rows(timestamps, w) for w in windows]
        for k, (left, right) in enumerate(bounds):
            width = right - left + 1
            rows = np.arange(left, right + 1)
            window_of[rows] = k
            unweighted[rows] = scaled_sigmoid(-(right - rows + 1) / width) / max_tp
            if prev_right is not None:
                _after_window(unweighted, prev_right, prev_width, left)
            prev_right, prev_width = right, width
        if prev_right is not None:
            _after_window(unweighted, prev_right, prev_width, n)
        scorable = np.arange(n) >= probation_rows(n)
        counted = len(set(window_of[scorable & (window_of >= 0)].tolist()))
        return cls(name, n, window_of, scorable, unweighted, counted)

    def score(self, detected: np.ndarray, weights: dict[str, float]) -> dict[str, float]:
        """Raw NAB score of one file's detections under one profile, with its counts."""
        hits = detected & self.scorable
        in_window = hits & (self.window_of >= 0)
        fp_rows = hits & (self.window_of < 0)
        tp_total, tp = 0.0, 0
        for k in np.unique(self.window_of[in_window]):
            first = np.flatnonzero(in_window & (self.window_of == k))[0]
            tp_total += weights["tp"] * self.unweighted[first]
            tp += 1
        fn = self.n_windows - tp
        fp_total = weights["fp"] * float(self.unweighted[fp_rows].sum())
        raw = tp_total + fp_total - weights["fn"] * fn
        return {"raw": raw, "tp": tp, "fn": fn, "fp": int(fp_rows.sum())}

    def perfect_detections(self) -> np.ndarray:
        """The perfect detector: one detection at the first scorable row of every window."""
        out = np.zeros(self.n, dtype=bool)
        for k in np.unique(self.window_of[self.scorable & (self.window_of >= 0)]):
            out[np.flatnonzero(self.scorable & (self.window_of == k))[0]] = True
        return out


def _window_rows(timestamps: np.ndarray, window: list[str]) -> tuple[int, int]:
    start, end = (np.datetime64(w.replace(" ", "T")) for w in window)
    left = int(np.searchsorted(timestamps, start, side="left"))
    right = int(np.searchsorted(timestamps, end, side="right")) - 1
    return left, right


def _after_window(unweighted: np.ndarray, right: int, width: int, stop: int) -> None:
    """Rows after a window up to ``stop``: fp reward shrinks from 0 to -1 with distance."""
    rows = np.arange(right + 1, stop)
    unweighted[rows] = scaled_sigmoid(np.abs(right - rows) / (width - 1))


def load_corpus(data_dir: Path) -> list[tuple[Labelled, np.ndarray, np.ndarray]]:
    """Every labelled file: (labels laid out, timestamps, values)."""
    windows = json.loads((data_dir / "labels" / "combined_windows.json").read_text())
    corpus = []
    for name in sorted(windows):
        frame = pl.read_csv(data_dir / "data" / name, try_parse_dates=True)
        ts = frame["timestamp"].to_numpy().astype("datetime64[s]")
        values = frame["value"].cast(pl.Float64).to_numpy()
        corpus.append((Labelled.build(name, ts, windows[name]), ts, values))
    return corpus


def corpus_score(
    labelled: list[Labelled], detections: list[np.ndarray], weights: dict[str, float]
) -> dict[str, float]:
    """Summed raw score, null and perfect raw scores, and the normalised score."""
    raw = sum(lab.score(det, weights)["raw"] for lab, det in zip(labelled, detections, strict=True))
    null = -weights["fn"] * sum(lab.n_windows for lab in labelled)
    perfect = sum(lab.score(lab.perfect_detections(), weights)["raw"] for lab in labelled)
    normalised = 100.0 * (raw - null) / (perfect - null)
    return {"raw": raw, "null": null, "perfect": perfect, "normalised": normalised}


def null_and_perfect_checks(labelled: list[Labelled]) -> dict[str, dict[str, float]]:
    """The scorer's self-checks: never firing scores 0, firing at each window start scores 100."""
    checks = {}
    for profile, weights in PROFILES.items():
        null = corpus_score(labelled, [np.zeros(lab.n, dtype=bool) for lab in labelled], weights)
        perfect = corpus_score(labelled, [lab.perfect_detections() for lab in labelled], weights)
        checks[profile] = {"null": null["normalised"], "perfect": perfect["normalised"]}
    return checks


def run_detector(corpus: list[tuple[Labelled, np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """Pre-suppression detector scores per file (suppression is applied per threshold)."""
    from vigil.detection.series import combined_score, infer_period
    from vigil.detection.settings import SeriesSettings

    scores = []
    for lab, ts, values in corpus:
        settings = SeriesSettings(min_samples=max(3, probation_rows(lab.n)))
        period = infer_period(ts) if settings.seasonal else None
        scores.append(combined_score(values, period, settings))
    return scores


def detections_at(scores: list[np.ndarray], threshold: float) -> list[np.ndarray]:
    """Apply the detector's own repeat suppression at this threshold, then binarise."""
    from vigil.detection.series import episode_starts
    from vigil.detection.settings import SeriesSettings

    rows = SeriesSettings().suppress_rows
    return [episode_starts(s, threshold, rows) >= threshold for s in scores]


def tune_threshold(
    labelled: list[Labelled], scores: list[np.ndarray], weights: dict[str, float]
) -> tuple[float, dict[str, float]]:
    """The corpus-wide threshold that maximises the profile's score (NAB's optimiser)."""
    # Fine steps where the detector's log-likelihood scores live, coarser above.
    grid = np.round(np.concatenate([np.arange(0.02, 0.3, 0.0025), np.arange(0.3, 1.0001, 0.01)]), 4)
    best: tuple[float, dict[str, float]] | None = None
    for threshold in grid:
        result = corpus_score(labelled, detections_at(scores, float(threshold)), weights)
        if best is None or result["normalised"] > best[1]["normalised"]:
            best = (float(threshold), result)
    assert best is not None
    return best


def two_fold_threshold_check(
    labelled: list[Labelled], scores: list[np.ndarray]
) -> dict[str, dict[str, float]]:
    """Standard profile: tune the threshold on half the files (alternate files), score the other
    half, and the reverse. Only the threshold is held out; the detector's other settings were
    chosen by looking at the whole corpus."""
    weights = PROFILES["standard"]
    halves = {"even": slice(0, None, 2), "odd": slice(1, None, 2)}
    result = {}
    for name, train in halves.items():
        test = halves["odd" if name == "even" else "even"]
        threshold, _ = tune_threshold(labelled[train], scores[train], weights)
        held_out = corpus_score(labelled[test], detections_at(scores[test], threshold), weights)
        result[f"tuned_on_{name}_files"] = {
            "threshold": threshold,
            "held_out_normalised": held_out["normalised"],
        }
    return result


def per_file(
    labelled: list[Labelled], detections: list[np.ndarray], weights: dict[str, float]
) -> list[dict[str, object]]:
    """One row per file: windows, detections, tp / fn / fp, raw score."""
    rows: list[dict[str, object]] = []
    for lab, det in zip(labelled, detections, strict=True):
        rows.append(
            {"file": lab.name, "rows": lab.n, "windows": lab.n_windows, **lab.score(det, weights)}
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    from vigil.detection.settings import SeriesSettings

    corpus = load_corpus(args.data)
    labelled = [lab for lab, _, _ in corpus]
    started = time.perf_counter()
    scores = run_detector(corpus)
    detect_seconds = time.perf_counter() - started
    default_threshold = SeriesSettings().threshold
    profiles = {}
    for profile, weights in PROFILES.items():
        threshold, tuned = tune_threshold(labelled, scores, weights)
        fixed = corpus_score(labelled, detections_at(scores, default_threshold), weights)
        profiles[profile] = {
            "tuned_threshold": threshold,
            "tuned": tuned,
            "default_threshold": default_threshold,
            "at_default_threshold": fixed,
        }
        print(
            f"{profile:>20}: tuned {tuned['normalised']:6.1f} (threshold {threshold:.3f}), "
            f"default {fixed['normalised']:6.1f} (threshold {default_threshold})"
        )
    standard_threshold = profiles["standard"]["tuned_threshold"]
    n_windows = sum(lab.n_windows for lab in labelled)
    result = {
        "detector": "vigil.detection.series.score_series",
        "settings": SeriesSettings().model_dump(),
        "corpus": f"NAB subset: {len(corpus)} files, {n_windows} windows",
        "profiles": profiles,
        "checks": null_and_perfect_checks(labelled),
        "threshold_two_fold_check": two_fold_threshold_check(labelled, scores),
        "runtime_seconds": {
            "detector": round(detect_seconds, 2),
            "total": round(time.perf_counter() - started, 2),
        },
        "published_standard_full_corpus": PUBLISHED_STANDARD,
        "per_file_standard_at_tuned_threshold": per_file(
            labelled, detections_at(scores, standard_threshold), PROFILES["standard"]
        ),
        "notes": NOTES,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"checks: {result['checks']}")
    print(f"detector runtime {detect_seconds:.1f}s; wrote {args.out}")


if __name__ == "__main__":
    main()
