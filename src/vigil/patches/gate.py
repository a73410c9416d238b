"""The CI gate: score pending patches with the champion and decide PASS or BLOCKED.

Kept to the standard library (csv, json) plus the registry's JSON mirror, the JSON export
of the CatBoost classifier and its Platt calibration (risks are calibrated probabilities),
and one read-only look at the registry table (duckdb) that the champion's files are bound to,
so ``vigil gate`` answers as a fresh process in well under a second.
Exit codes: 0 PASS, 1 BLOCKED, 2 bad input or usage (raised as InputError / ModelError).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigil.errors import InputError, MissingColumnsError, ModelError
from vigil.modelling.calibration import CALIBRATION_JSON, Platt
from vigil.patches.inputs import (
    MODEL_NAME,
    BadValue,
    check_scorable,
    encode_row,
    missing_columns,
    patch_id,
)
from vigil.patches.reasons import reasons
from vigil.patches.tiers import BLOCKED, HIGH, LOW, MARGINAL, PASSED, gate_decision, tier
from vigil.patches.treemodel import ObliviousTrees
from vigil.registry.binding import check_bound
from vigil.registry.files import ModelVersion, champion, verified_path

if TYPE_CHECKING:
    import duckdb

    from vigil.config import VigilConfig

log = logging.getLogger(__name__)

CLASSIFIER_JSON = "classifier.json"
PASS, BLOCKED = PASSED, BLOCKED


@dataclass(frozen=True)
class GateResult:
    """The gate's JSON payload, its one-line summary, and the exit code."""

    payload: dict[str, Any]
    summary: str
    exit_code: int


def read_patches(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; InputError for a missing, unreadable, binary or
    empty file and for a row whose field count differs from the header's."""
    if not path.is_file():
        raise InputError("file not found (pass the CSV of pending patches)", file=path)
    try:
        with path.open("rb") as probe:
            if b"\x00" in probe.read(8192):
                raise InputError("is a binary file, not a CSV of pending patches", file=path)
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            reader.fieldnames = header
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (byte {exc.start}); expected a CSV of pending patches", file=path
        ) from None
    except csv.Error as exc:
        raise InputError(f"is not a readable CSV: {exc}", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", file=path) from None
    if not header:
        raise InputError("file is empty (expected a header row and one row per patch)", file=path)
    if not rows:
        raise InputError("file has a header but no patches", file=path)
    return header, rows


def load_champion(
    models_dir: Path, warehouse: Path | duckdb.DuckDBPyConnection
) -> tuple[ModelVersion, ObliviousTrees, Platt]:
    """The champion's entry, bound to the registry table, with its verified JSON trees and
    calibration; ModelError when there is none or when the files are not the registered ones."""
    mv = champion(models_dir, MODEL_NAME)
    if mv is None:
        raise ModelError(
            f"no trained patch model in {models_dir} (run 'vigil train patches -c vigil.yaml')"
        )
    check_bound(mv, warehouse)
    trees = ObliviousTrees.load(verified_path(mv, CLASSIFIER_JSON))
    return mv, trees, Platt.load(verified_path(mv, CALIBRATION_JSON))


def encode(
    path: Path, rows: list[tuple[int, dict[str, str]]], features: list[str]
) -> list[list[float]]:
    """Every row as a model input; InputError naming the row and column of a bad value."""
    out = []
    for index, (line, row) in enumerate(rows, start=1):
        where = f"row {index} (line {line})"
        problem = _field_count_problem(row)
        if problem:
            raise InputError(f"{where} {problem}", file=path)
        try:
            check_scorable(row, features)
            out.append(encode_row(row, features))
        except BadValue as exc:
            raise InputError(f"{where}, {exc}", file=path) from None
    return out


def _field_count_problem(row: dict[str, str]) -> str | None:
    """A short or long row, in words; csv.DictReader files surplus fields under the key None
    and leaves the missing ones None."""
    n_header = sum(1 for key in row if key is not None)
    surplus = row.get(None)  # type: ignore[call-overload]
    missing = sum(1 for key, value in row.items() if key is not None and value is None)
    if not surplus and not missing:
        return None
    given = n_header + len(surplus or []) - missing
    return f"has {given} fields, the header has {n_header}"


def check_thresholds(block: float, marginal: float) -> None:
    """Usage error unless 0 <= marginal <= block <= 1."""
    if not (0.0 <= marginal <= 1.0 and 0.0 <= block <= 1.0):
        raise InputError(f"--block {block} and --marginal {marginal} must be between 0 and 1")
    if marginal > block:
        raise InputError(f"--marginal {marginal} must not exceed --block {block}")


def run_gate(
    path: Path,
    models_dir: Path,
    *,
    block: float,
    marginal: float,
    warehouse: Path | duckdb.DuckDBPyConnection,
    output: Path | None = None,
) -> GateResult:
    """Score every patch in ``path``; BLOCKED when any is at or above ``block``."""
    check_thresholds(block, marginal)
    header, rows = read_patches(path)
    mv, trees, platt = load_champion(models_dir, warehouse)
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


def configured_gate(
    cfg: VigilConfig,
    path: Path,
    *,
    warehouse: duckdb.DuckDBPyConnection | None = None,
    block: float | None = None,
    marginal: float | None = None,
    output: Path | None = None,
) -> GateResult:
    """:func:`run_gate` with the workspace's models, thresholds (unless given) and registry table
    (``warehouse``: a connection already open on it, e.g. inside a run): what every caller
    that gates (the CLI, the dashboard, alerts, the demo) goes through."""
    settings = cfg.patches.gate
    return run_gate(
        path,
        cfg.models_dir,
        block=settings.block if block is None else block,
        marginal=settings.marginal if marginal is None else marginal,
        warehouse=cfg.warehouse_path if warehouse is None else warehouse,
        output=output,
    )


def _result(
    path: Path, mv: ModelVersion, patches: list[dict[str, Any]], block: float, marginal: float
) -> GateResult:
    high = [p["id"] for p in patches if p["tier"] == HIGH]
    n_marginal = sum(p["tier"] == MARGINAL for p in patches)
    decision = gate_decision(p["tier"] for p in patches)
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
    return GateResult(
        payload, f"{summary} [{MODEL_NAME} v{mv.version}]", 1 if decision == BLOCKED else 0
    )


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
