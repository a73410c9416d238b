"""`vigil retrain`: retrain the patch model on drift, measured decay, or when forced.

Triggers, each with its evidence in ``reports/patch_retrain.json``:
- ``no_champion``: nothing is trained yet;
- ``drift``: the pre-release features of releases newer than the champion's data drift from
  the releases it was trained and evaluated on (the monitoring area's per-column tests);
- ``decay``: on newly matured releases the champion's ROC-AUC or high-risk recall falls below
  its own hold-out figure by ``patches.retrain.decay_margin``;
- ``forced``: ``--force``.
Nothing new since the last check (same data fingerprint, same champion) means no retrain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

import duckdb
import polars as pl

from vigil.config import VigilConfig
from vigil.errors import VigilError
from vigil.modelling.metrics import at_threshold
from vigil.outcomes.training import with_outcome_label
from vigil.patches.features import build_patch_tables, load_patches
from vigil.patches.holdout import matrix
from vigil.patches.inputs import MODEL_NAME
from vigil.patches.label import Label
from vigil.patches.model import PatchRiskModel
from vigil.patches.split import mature
from vigil.patches.train import train_patch_model, write_report
from vigil.registry import ModelRegistry, ModelVersion

log = logging.getLogger(__name__)

RETRAIN_REPORT = "patch_retrain.json"
_FINGERPRINT_COLUMNS = ("firmware_version", "release_date", "error_rate_per_10k", "outcome_mature")


def fingerprint(patches: pl.DataFrame, champion: ModelVersion | None) -> str:
    """A hash of the releases, their outcomes and the champion version."""
    cols = [c for c in _FINGERPRINT_COLUMNS if c in patches.columns]
    rows = patches.select(cols).sort("firmware_version").rows() if cols else []
    text = json.dumps([rows, champion.version if champion else None], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def seen_until(champion: ModelVersion) -> dt.date | None:
    """The newest release the champion was trained or evaluated on."""
    end = (champion.params.get("split") or {}).get("test_end") or champion.train_end
    return dt.date.fromisoformat(str(end)) if end else None


def newer(patches: pl.DataFrame, champion: ModelVersion) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(releases the champion saw, releases newer than that)."""
    until = seen_until(champion)
    if until is None:
        return patches, patches.clear()
    return patches.filter(pl.col("release_date") <= until), patches.filter(
        pl.col("release_date") > until
    )


def check_drift(
    cfg: VigilConfig, seen: pl.DataFrame, new: pl.DataFrame, features: list[str]
) -> dict[str, Any]:
    """Per-column drift of the model's inputs, new releases against the ones the champion saw."""
    if new.height < cfg.patches.retrain.min_new_releases:
        return {
            "checked": False,
            "reason": f"{new.height} new releases (need {cfg.patches.retrain.min_new_releases})",
        }
    try:
        from vigil.monitoring.drift import detect_drift
    except ImportError:
        return {"checked": False, "reason": "drift tests not available (vigil.monitoring.drift)"}
    reference = pl.DataFrame(matrix(seen, features), schema=features, orient="row")
    current = pl.DataFrame(matrix(new, features), schema=features, orient="row")
    try:
        report = detect_drift(reference, current, cfg.drift, columns=features)
    except VigilError as exc:
        return {"checked": False, "reason": str(exc)}
    columns = report.columns.values() if isinstance(report.columns, dict) else report.columns
    drifted = [
        {
            "column": getattr(c, "column", getattr(c, "name", "?")),
            "reason": getattr(c, "reason", ""),
        }
        for c in columns
        if c.drifted
    ]
    return {
        "checked": True,
        "dataset_drift": bool(report.dataset_drift),
        "drifted_columns": drifted,
    }


def check_decay(cfg: VigilConfig, new: pl.DataFrame, champion: ModelVersion) -> dict[str, Any]:
    """The champion's AUC and recall on newly matured releases against its training figures."""
    matured = mature(new)
    settings = cfg.patches.retrain
    if matured.height < settings.min_new_releases:
        return {
            "checked": False,
            "reason": f"{matured.height} newly matured releases (need {settings.min_new_releases})",
        }
    label = Label.from_dict(champion.params.get("label") or {})
    model = PatchRiskModel.load(champion)
    y = label.apply(matured)
    now = at_threshold(
        y, model.predict_proba(matrix(matured, model.features_)), cfg.patches.gate.block
    )
    decayed = []
    for metric in ("roc_auc", "recall"):
        before, after = champion.metrics.get(metric), now[metric]
        if before is not None and after is not None and after < before - settings.decay_margin:
            decayed.append(f"{metric} {after:.3f} < {before:.3f} - {settings.decay_margin}")
    return {"checked": True, "n_releases": matured.height, "metrics": now, "decayed": decayed}


def _triggers(drift: dict[str, Any], decay: dict[str, Any]) -> list[str]:
    out = []
    if drift.get("dataset_drift") or drift.get("drifted_columns"):
        out.append("drift")
    if decay.get("decayed"):
        out.append("decay")
    return out


def retrain(
    cfg: VigilConfig, con: duckdb.DuckDBPyConnection, *, force: bool = False
) -> dict[str, Any]:
    """Check the triggers; retrain (with the promotion rule) when one fires. Returns the report."""
    build_patch_tables(con, cfg.patches)
    patches = with_outcome_label(con, cfg, load_patches(con))
    champion = ModelRegistry(con, cfg.models_dir).get(MODEL_NAME)
    report: dict[str, Any] = {
        "checked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "forced": force,
        "champion_version": champion.version if champion else None,
        "fingerprint": fingerprint(patches, champion),
        "triggers": [],
    }
    if champion is None:
        report["triggers"].append("no_champion")
    elif not force and report["fingerprint"] == _last_fingerprint(cfg):
        report["reason"] = "data and champion unchanged since the last check"
    else:
        seen, new = newer(patches, champion)
        report["drift"] = check_drift(cfg, seen, new, list(champion.features))
        report["decay"] = check_decay(cfg, new, champion)
        report["triggers"] += _triggers(report["drift"], report["decay"])
    if force:
        report["triggers"].append("forced")
    return _finish(cfg, con, report)


def _finish(
    cfg: VigilConfig, con: duckdb.DuckDBPyConnection, report: dict[str, Any]
) -> dict[str, Any]:
    report["retrained"] = bool(report["triggers"])
    if report["retrained"]:
        trained = train_patch_model(cfg, con, rebuild=False)
        report["new_version"] = trained["version"]
        report["promotion"] = trained["promotion"]
        report["promoted"] = bool(trained["promotion"]["promoted"])
        champion = ModelRegistry(con, cfg.models_dir).get(MODEL_NAME)
        report["fingerprint"] = fingerprint(load_patches(con), champion)
    else:
        report.setdefault("reason", "no trigger fired: no drift, no decay")
        report["promoted"] = False
    write_report(cfg, RETRAIN_REPORT, report)
    log.info("retrain check: triggers=%s retrained=%s", report["triggers"], report["retrained"])
    return report


def _last_fingerprint(cfg: VigilConfig) -> str | None:
    path = cfg.reports_dir / RETRAIN_REPORT
    try:
        value = json.loads(path.read_text("utf-8")).get("fingerprint")
    except (OSError, ValueError):
        return None
    return str(value) if value else None
