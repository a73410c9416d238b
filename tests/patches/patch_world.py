"""Tiny patch worlds: releases whose outcome grows with code churn, in an in-memory warehouse."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import numpy as np

from vigil.config import VigilConfig

START = dt.date(2026, 1, 1)
TYPES = ("bugfix", "feature", "security", "hotfix")


def releases(
    n: int,
    *,
    seed: int = 0,
    first: int = 0,
    mature_upto: int | None = None,
    churn_scale: float = 1.0,
    invert: bool = False,
) -> list[dict]:
    """``n`` weekly releases numbered from ``first``; outcomes given for the first
    ``mature_upto`` (all by default). ``invert`` flips the churn -> error-rate relation."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        i = first + k
        churn = float(rng.integers(50, 5000)) * churn_scale
        files = float(rng.integers(1, 120))
        signal = (20_000 / churn) if invert else churn / 400.0
        rate = 2.0 + signal + files / 30.0 + float(rng.normal(0, 0.5))
        given = mature_upto is None or k < mature_upto
        rows.append(
            {
                "firmware_version": f"fw-{i:03d}",
                "release_date": START + dt.timedelta(days=7 * i),
                "patch_type": TYPES[i % 4],
                "patch_size_mb": float(rng.uniform(1, 200)),
                "files_changed": files,
                "lines_added": churn * 0.6,
                "lines_deleted": churn * 0.4,
                "code_churn": churn,
                "prev_error_rate": float(rng.uniform(1, 10)),
                "mean_device_age_days": float(rng.uniform(30, 700)),
                "touched_features": [f"feat_{j}" for j in range(i % 5 + 1)],
                "error_rate_per_10k": rate if given else None,
                "rma_rate": rate / 1000 if given else None,
            }
        )
    return rows


def load_releases(
    con: duckdb.DuckDBPyConnection, rows: list[dict], *, replace: bool = True
) -> None:
    """Insert ``rows`` into dim_release (replacing what is there unless ``replace`` is False)."""
    if replace:
        con.execute("DELETE FROM dim_release")
    columns = list(rows[0])
    marks = ", ".join(f"${c}" for c in columns)
    for row in rows:
        con.execute(f"INSERT INTO dim_release ({', '.join(columns)}) VALUES ({marks})", row)


WORKSPACE_YAML = """\
workspace: .vigil
patches:
  model: {iterations: 40, depth: 3, min_releases: 12, bootstrap: 50}
"""


def write_workspace(root: Path) -> Path:
    """A vigil.yaml with small models; returns its path."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "vigil.yaml"
    path.write_text(WORKSPACE_YAML, encoding="utf-8")
    return path


PENDING_COLUMNS = (
    "firmware_version",
    "release_date",
    "patch_type",
    "patch_size_mb",
    "files_changed",
    "lines_added",
    "lines_deleted",
    "code_churn",
    "prev_error_rate",
    "mean_device_age_days",
    "touched_features",
)


def write_pending(path: Path, rows: list[dict], columns: tuple[str, ...] = PENDING_COLUMNS) -> Path:
    """Write pending patches as the gate reads them (touched_features ``;``-joined)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            touched = row.get("touched_features") or []
            writer.writerow({**row, "touched_features": ";".join(touched)})
    return path


def trained_workspace(root: Path, n: int = 40) -> tuple[VigilConfig, duckdb.DuckDBPyConnection]:
    """A workspace at ``root`` whose registry holds a trained patch_risk champion."""
    from vigil.config import load_config
    from vigil.patches.train import train_patch_model
    from vigil.warehouse.connection import connect

    cfg = load_config(write_workspace(root))
    con = connect(cfg.warehouse_path)  # a file: the gate checks models against its registry
    load_releases(con, releases(n))
    train_patch_model(cfg, con)
    return cfg, con


def make_cfg(root: Path, **patches: object) -> VigilConfig:
    """A config rooted at ``root`` with small, fast models."""
    model = {"iterations": 40, "depth": 3, "min_releases": 12, "bootstrap": 50}
    settings = {"model": model, **patches}
    return VigilConfig.model_validate({"root": root, "patches": settings})
