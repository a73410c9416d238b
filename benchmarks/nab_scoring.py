"""NAB's scoring rules, re-implemented (nab/sweeper.py at the commit pinned in SOURCE.md).

- each labelled window spans rows [first, last]; a detection is a row flagged True;
- a window earns the scaled-sigmoid reward of its *earliest* detection (tp weight at the window
  start, falling towards the window end); an undetected window costs the fn weight;
- every detection outside a window costs the fp weight times a scaled sigmoid of its distance past
  the previous window (-1 before any window, close to 0 just after one);
- the first 15% of each file (at most 750 rows) is probation and not scored;
- normalised score = 100 * (raw - null) / (perfect - null), summed over the files scored.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

PROFILES: dict[str, dict[str, float]] = {
    "standard": {"tp": 1.0, "fn": 1.0, "fp": 0.11},
    "reward_low_FP_rate": {"tp": 1.0, "fn": 1.0, "fp": 0.22},
    "reward_low_FN_rate": {"tp": 1.0, "fn": 2.0, "fp": 0.11},
}
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

    @property
    def category(self) -> str:
        """The NAB category: the data/ subfolder the file lives in."""
        return self.name.split("/")[0]

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

    def null_raw(self, weights: dict[str, float]) -> float:
        """Raw score of the detector that never fires."""
        return -weights["fn"] * self.n_windows

    def perfect_raw(self, weights: dict[str, float]) -> float:
        """Raw score of the perfect detector."""
        return self.score(self.perfect_detections(), weights)["raw"]

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


@dataclass
class NabFile:
    """One labelled file: its scoring layout, timestamps and values."""

    labelled: Labelled
    timestamps: np.ndarray
    values: np.ndarray

    @property
    def name(self) -> str:
        return self.labelled.name

    @property
    def category(self) -> str:
        return self.labelled.category


def load_corpus(data_dir: Path) -> list[NabFile]:
    """Every labelled file under ``data_dir`` (NAB layout: data/<category>/*.csv, labels/)."""
    windows = json.loads((data_dir / "labels" / "combined_windows.json").read_text())
    corpus = []
    for name in sorted(windows):
        frame = pl.read_csv(data_dir / "data" / name, try_parse_dates=True)
        ts = frame["timestamp"].to_numpy().astype("datetime64[s]")
        values = frame["value"].cast(pl.Float64).to_numpy()
        corpus.append(NabFile(Labelled.build(name, ts, windows[name]), ts, values))
    return corpus


def normalise(raw: float, null: float, perfect: float) -> float | None:
    """100 * (raw - null) / (perfect - null); None when no window is scored (perfect == null)."""
    if perfect == null:
        return None
    return 100.0 * (raw - null) / (perfect - null)


def corpus_score(
    labelled: list[Labelled], detections: list[np.ndarray], weights: dict[str, float]
) -> dict[str, float]:
    """Summed raw score, null and perfect raw scores, and the normalised score."""
    raw = sum(lab.score(det, weights)["raw"] for lab, det in zip(labelled, detections, strict=True))
    null = sum(lab.null_raw(weights) for lab in labelled)
    perfect = sum(lab.perfect_raw(weights) for lab in labelled)
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
