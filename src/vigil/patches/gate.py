"""The CI gate: score pending patches with the champion and decide PASS or BLOCKED.

Kept to the standard library (csv, json) plus the registry's JSON mirror, the JSON export
of the CatBoost classifier and its Platt calibration (risks are calibrated probabilities),
so ``vigil gate`` answers as a fresh process in well under a second.
Exit codes: 0 PASS, 1 BLOCKED, 2 bad input or usage (raised as InputError / ModelError).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.errors import InputError, MissingColumnsError, ModelError
from vigil.patches.calibration import CALIBRATION_JSON, Platt
from vigil.patches.inputs import MODEL_NAME, BadValue, encode_row, missing_columns, patch_id
from vigil.patches.reasons import reasons
from vigil.patches.tiers import HIGH, LOW, MARGINAL, tier
from vigil.patches.treemodel import ObliviousTrees
from vigil.registry.files import ModelVersion, champion, verified_path

log = logging.getLogger(__name__)

CLASSIFIER_JSON = "classifier.json"
PASS, BLOCKED = "PASS", "BLOCKED"


@dataclass(frozen=True)
class GateResult:
    """The gate's JSON payload, its one-line summary, and the exit code."""

    payload: dict[str, Any]
    summary: str
    exit_code: int


def read_patches(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; InputError for a missing or empty file."""
    if not path.is_file():
        raise InputError("file not found (pass the CSV of pending patches)", file=path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        rows = [(reader.line_num, row) for row in reader]
    if not header:
        raise InputError("file is empty (expected a header row and one row per patch)", file=path)
    if not rows:
        raise InputError("file has a header but no patches", file=path)
    return header, rows


def load_champion(models_dir: Path) -> tuple[ModelVersion, ObliviousTrees, Platt]:
    """The champion's entry, its verified JSON trees and calibration; ModelError when there
    is none."""
    mv = champion(models_dir, MODEL_NAME)
    if mv is None:
        raise ModelError(
            f"no trained patch model in {models_dir} (run 'vigil train patches -c vigil.yaml')"
        )
    trees = ObliviousTrees.load(verified_path(mv, CLASSIFIER_JSON))
    return mv, trees, Platt.load(verified_path(mv, CALIBRATION_JSON))


def encode(
    path: Path, rows: list[tuple[int, dict[str, str]]], features: list[str]
) -> list[list[float]]:
    """Every row as a model input; InputError naming the row and column of a bad value."""
    out = []
    for index, (line, row) in enumerate(rows, start=1):
        try:
            out.append(encode_row(row, features))
        except BadValue as exc:
            raise InputError(f"row {index} (line {line}), {exc}", file=path) from None
    return out


def check_thresholds(block: float, marginal: float) -> None:
    """Usage error unless 0 <= marginal <= block <= 1."""
    if not (0.0 <= marginal <= 1.0 and 0.0 <= block <= 1.0):
        raise InputError(f"--block {block} and --marginal {marginal} must be between 0 and 1")
    if marginal > block:
        raise InputError(f"--marginal {marginal} must not exceed --block {block}")


def run_gate(
    path: Path, models_dir: Path, *, block: float, marginal: float, output: Path | None = None
) -> GateResult:
    """Score every patch in ``path``; BLOCKED when any is at or above ``block``."""
    check_thresholds(block, marginal)
    header, rows = read_patches(path)
    mv, trees, platt = load_champion(models_dir)
    missing = missing_columns(mv.features, header)
    if missing:
        raise MissingColumnsError(path, missing, "the model needs them")
    vectors = encode(path, rows, mv.features)
    patches = []
    for index, ((_, row), x) in enumerate(zip(rows, vectors, strict=True), start=1):
        raw, contributions = trees.explain(x)
        risk = platt.apply(raw)
        level = tier(risk, block, marginal)
        why = reasons(mv.features, x, contributions, up=level != LOW)
        patches.append(
            {
                "id": patch_id(row, index),
                "risk": round(risk, 6),
                "tier": level,
                "reasons": why,
            }
        )
    if output is not None:
        write_scored(output, header, rows, patches)
    return _result(path, mv, patches, block, marginal)


def _result(
    path: Path, mv: ModelVersion, patches: list[dict[str, Any]], block: float, marginal: float
) -> GateResult:
    high = [p["id"] for p in patches if p["tier"] == HIGH]
    n_marginal = sum(p["tier"] == MARGINAL for p in patches)
    decision = BLOCKED if high else PASS
    payload = {
        "input_file": str(path),
        "model_version": mv.version,
        "n_patches": len(patches),
        "n_high_risk": len(high),
        "n_marginal": n_marginal,
        "decision": decision,
        "block": block,
        "marginal": marginal,
        "patches": patches,
    }
    if high:
        shown = ", ".join(high[:5]) + (", ..." if len(high) > 5 else "")
        summary = f"BLOCKED: {len(high)} of {len(patches)} patches at risk >= {block}: {shown}"
    else:
        summary = f"PASS: {len(patches)} patches, none at risk >= {block} ({n_marginal} marginal)"
    return GateResult(payload, f"{summary} [{MODEL_NAME} v{mv.version}]", 1 if high else 0)


def write_scored(
    output: Path,
    header: list[str],
    rows: list[tuple[int, dict[str, str]]],
    patches: list[dict[str, Any]],
) -> None:
    """The input rows with risk, tier and reasons appended."""
    output.parent.mkdir(parents=True, exist_ok=True)
    extra = [c for c in ("risk", "tier", "reasons") if c not in header]
    with output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header + extra, extrasaction="ignore")
        writer.writeheader()
        for (_, row), scored in zip(rows, patches, strict=True):
            writer.writerow(
                {
                    **row,
                    "risk": scored["risk"],
                    "tier": scored["tier"],
                    "reasons": "; ".join(scored["reasons"]),
                }
            )
