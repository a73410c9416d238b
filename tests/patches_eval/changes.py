"""A tiny change-level table shaped like the ISSTA 2021 files (index, _id, date, bug, __, ...)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl


def make_changes(n: int = 240, seed: int = 0) -> pl.DataFrame:
    """n changes in time order; bigger, less experienced changes induce defects more often."""
    rng = np.random.default_rng(seed)
    la = rng.integers(0, 400, n)
    ld = rng.integers(0, 100, n)
    exp = rng.integers(1, 500, n)
    logit = 0.006 * la - 0.004 * exp - 0.3
    bug = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    bug[:2], bug[-2:] = [0, 1], [0, 1]  # both classes in train and test
    return pl.DataFrame(
        {
            "": np.arange(n),
            "_id": [f"{i:040x}" for i in rng.integers(0, 2**62, n)],
            "date": 1_400_000_000 + np.arange(n) * 3600,
            "bug": bug,
            "__": bug,
            "la": la,
            "ld": ld,
            "nf": rng.integers(1, 10, n),
            "lt": rng.integers(0, 5000, n),
            "exp": exp,
        }
    )


def write_changes(path: Path, frame: pl.DataFrame | None = None) -> Path:
    """Write the table as CSV and return its path."""
    (frame if frame is not None else make_changes()).write_csv(path)
    return path
