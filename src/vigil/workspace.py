"""One way into a Vigil workspace, for the CLI, the dashboard and Python users alike.

    from vigil import Workspace

    ws = Workspace.open("vigil.yaml")
    ws.run()                                  # what `vigil run` does
    ws.ranked_features(top=5)                 # what `vigil risk` prints
    ws.gate("pending_patches.csv").payload    # what `vigil gate` decides

Every method is a few lines over the area that owns the work; nothing here computes by itself.
Heavy imports stay inside the methods, so opening a workspace costs only reading its config.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigil.config import VigilConfig, load_config
from vigil.logs import configure_logging

if TYPE_CHECKING:
    import duckdb
    import polars as pl

    from vigil.alerts.notify import AlertRun
    from vigil.annotations.store import Annotation
    from vigil.annotations.store import Kind as AnnotationKind
    from vigil.canary.judge import Judgement
    from vigil.patches.gate import GateResult
    from vigil.pipeline import RunResult
    from vigil.registry import ModelRegistry
    from vigil.registry.files import ModelVersion
    from vigil.risk.train import TrainingResult


class Workspace:
    """A configured workspace: its config, a warehouse opened on demand, and every operation."""

    def __init__(self, cfg: VigilConfig, config_path: Path | None = None) -> None:
        self.config = cfg
        self.config_path = config_path or cfg.root / "vigil.yaml"
        """the file errors about the configuration name"""

    @classmethod
    def open(cls, config: Path | str = "vigil.yaml", *, log_to_file: bool = True) -> Workspace:
        """Read ``config`` (ConfigError when it is missing or invalid) and start logging."""
        cfg = load_config(Path(config))
        if log_to_file:
            configure_logging(cfg.logs_dir)
        return cls(cfg, Path(config))

    # -- the warehouse and the registry -------------------------------------------------------

    @contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A warehouse connection, closed on exit. Read-only needs an existing warehouse and
        fails at once while a run writes; a writer waits up to ``warehouse.lock_wait_s``."""
        from vigil.warehouse.connection import open_warehouse

        wait = 0.0 if read_only else self.config.warehouse.lock_wait_s
        with open_warehouse(
            self.config.warehouse_path, read_only=read_only, lock_wait_s=wait
        ) as con:
            yield con

    @contextmanager
    def registry(self) -> Iterator[ModelRegistry]:
        """The model registry over an open warehouse connection."""
        from vigil.registry import ModelRegistry

        with self.connect() as con:
            yield ModelRegistry(con, self.config.models_dir)

    # -- the run --------------------------------------------------------------------------------

    def run(self, *, progress: Callable[[str], None] | None = None) -> RunResult:
        """Ingest, validate, aggregate, then every stage (``vigil run``)."""
        from vigil.pipeline import run_pipeline

        return run_pipeline(self.config, progress=progress)

    def history(self, limit: int = 20) -> list[dict[str, Any]]:
        """Past runs, newest first (``vigil history``)."""
        from vigil.reporting import run_history

        with self.connect(read_only=True) as con:
            return run_history(con, limit)

    def quarantine(self, run_id: str | None = None, limit: int = 20) -> dict[str, Any]:
        """Quarantined rows counted by reason, and the first ``limit`` of them."""
        from vigil.reporting import quarantine_rows, quarantine_summary

        with self.connect(read_only=True) as con:
            return {
                "by_reason": quarantine_summary(con, run_id),
                "rows": quarantine_rows(con, run_id, limit),
            }

    # -- feature health -------------------------------------------------------------------------

    def ranked_features(self, day: dt.date | None = None, top: int = 10) -> list[dict[str, Any]]:
        """Features by impact (risk x users exposed) with their reasons (``vigil risk``)."""
        from vigil.risk.queries import ranked_features
        from vigil.risk.rules import method_of

        with self.connect(read_only=True) as con:
            rows = ranked_features(con, day).head(top).to_dicts()
        return [r | {"method": method_of(r.get("model_version"))} for r in rows]

    def attention(self) -> pl.DataFrame:
        """Today's ranked attention list, in and outside the budget (``vigil attention``)."""
        from vigil.attention.build import current

        with self.connect(read_only=True) as con:
            return current(con, self.config)

    def drift_report(self) -> tuple[dict[str, Any], pl.DataFrame]:
        """The latest stored drift report: its summary and one row per column."""
        from vigil.monitoring.store import latest_drift_report

        with self.connect(read_only=True) as con:
            return latest_drift_report(con)

    def drift_baseline(self, *, refresh: bool = False) -> dict[str, Any]:
        """The stored drift baseline; ``refresh`` rebuilds it from the warehouse first."""
        from vigil.monitoring.baseline_store import baseline_summary, refresh_baseline

        if refresh:
            with self.connect() as con:
                return refresh_baseline(con, self.config)
        return baseline_summary(self.config)

    def fleet_watch(self) -> pl.DataFrame:
        """Device groups in the immediate / enhanced tiers (``vigil fleet``)."""
        from vigil.fleet.queries import watch_list

        with self.connect(read_only=True) as con:
            return watch_list(con)

    # -- patch stability ------------------------------------------------------------------------

    def gate(
        self,
        patches: Path | str,
        *,
        block: float | None = None,
        marginal: float | None = None,
        output: Path | None = None,
    ) -> GateResult:
        """Score pending patches with the champion; PASS or BLOCKED (``vigil gate``)."""
        from vigil.patches.gate import configured_gate

        return configured_gate(
            self.config, Path(patches), block=block, marginal=marginal, output=output
        )

    def qa_queue(
        self, patches: Path | str, *, risk_column: str = "risk", label_column: str | None = None
    ) -> tuple[pl.DataFrame, dict[str, Any] | None]:
        """Pending patches in QA order: expected regressions caught per line of effort."""
        from vigil.patches.qa import qa_queue

        return qa_queue(
            Path(patches),
            risk_column=risk_column,
            effort_column=self.config.patches.qa_effort_column,
            label_column=label_column,
            cfg=self.config,
        )

    # -- operations -----------------------------------------------------------------------------

    def alerts(self, *, dry_run: bool = False) -> AlertRun | None:
        """Evaluate the alert rules and notify (``vigil alerts``); None when alerts are off.
        A dry run sends and records nothing."""
        from vigil.alerts.notify import missing_environment, run_alerts
        from vigil.errors import ConfigError, WarehouseError

        cfg = self.config
        if not cfg.alerts.enabled:
            return None
        missing = missing_environment(cfg.alerts)
        if missing and not (dry_run or cfg.alerts.dry_run):
            raise ConfigError(
                f"environment variables not set: {', '.join(missing)} (alerts.destinations name "
                "them; set them, or use --dry-run)",
                file=self.config_path,
            )
        if not cfg.warehouse_path.exists():
            raise WarehouseError(
                f"no warehouse at {cfg.warehouse_path} (run 'vigil run -c {self.config_path}')"
            )
        with self.connect(read_only=dry_run) as con:
            return run_alerts(con, cfg, cfg.run_clock(), preview=dry_run)

    def canary(self, baseline: str, candidate: str, feature: str | None = None) -> Judgement:
        """Judge ``candidate`` against ``baseline`` over the window both ran (``vigil canary``);
        the judgement is stored in ``canary_verdict``."""
        from vigil.canary.run import judge_versions

        cfg = self.config
        with self.connect() as con:
            return judge_versions(con, cfg.canary, (baseline, candidate), cfg.run_clock(), feature)

    def annotate(self, note: Annotation) -> str:
        """Add a deployment or incident annotation (``vigil annotate KIND add``); its id."""
        from vigil.annotations.store import add

        with self.connect() as con:
            return add(con, note, self.config.run_clock())

    def annotations(self, kind: AnnotationKind, feature: str | None = None) -> pl.DataFrame:
        """The annotations of one kind, optionally those touching ``feature``."""
        from vigil.annotations.store import listing

        with self.connect() as con:
            return listing(con, kind, feature)

    def remove_annotation(self, kind: AnnotationKind, annotation_id: str) -> None:
        """Remove one annotation (InputError when there is no such id)."""
        from vigil.annotations.store import remove

        with self.connect() as con:
            remove(con, kind, annotation_id)

    def release_outcomes(self, release: str | None = None) -> dict[str, Any]:
        """Each release's telemetry outcome (``vigil outcomes``); with ``release``, the episodes
        attributed to it with every candidate ranked. InputError for an unknown release."""
        from vigil.errors import InputError
        from vigil.outcomes import store

        with self.connect(read_only=True) as con:
            rows = store.release_outcomes(con, "telemetry")
            known = rows.height > 0 and release in rows["firmware_version"]
            if release is not None and not known:
                raise InputError(f"no telemetry outcome for release '{release}' (run 'vigil run')")
            ranked = store.attributions(con, release) if release is not None else None
            episodes: list[str] = (
                []
                if ranked is None
                else ranked.filter("attributed")["episode_id"].unique(maintain_order=True).to_list()
            )
            return {
                "label_source": self.config.outcomes.label_source,
                "releases": rows.drop("run_id", strict=False),
                "episodes": {e: store.episode_candidates(con, e).to_dicts() for e in episodes},
            }

    # -- models ---------------------------------------------------------------------------------

    def train_features(self, truth: Path | str | None = None) -> TrainingResult:
        """Train and register the feature-risk model (``vigil train features``)."""
        from vigil.risk.train import train_feature_model

        with self.connect() as con:
            return train_feature_model(
                con, self.config, truth_path=None if truth is None else Path(truth)
            )

    def train_patches(self) -> dict[str, Any]:
        """Train and register the patch-risk model (``vigil train patches``)."""
        from vigil.patches.train import train_patch_model

        with self.connect() as con:
            return train_patch_model(self.config, con)

    def retrain(self, *, force: bool = False) -> dict[str, Any]:
        """Retrain the patch model when a trigger fires, or always with ``force``."""
        from vigil.patches.retrain import retrain

        with self.connect() as con:
            return retrain(self.config, con, force=force)

    def models(self, name: str | None = None) -> list[tuple[ModelVersion, list[str]]]:
        """Registered versions, each with its aliases (and when it was retired)."""
        with self.registry() as registry:
            out = []
            for mv in registry.list(name):
                aliases = [a for a, v in registry.aliases(mv.name).items() if v == mv.version]
                aliases += [
                    f"retired {move['changed_at']:%Y-%m-%d %H:%M}"
                    for move in registry.history(mv.name)[-1:]
                    if move["action"] == "retire" and move["version"] == mv.version
                ]
                out.append((mv, aliases))
            return out

    def promote(self, name: str, version: int) -> None:
        """Make ``version`` the champion by hand (recorded in the alias history)."""
        with self.registry() as registry:
            registry.set_alias(name, "champion", version, "manual promote", action="promote")

    def rollback(self, name: str) -> ModelVersion:
        """Point the champion back at the previous champion."""
        with self.registry() as registry:
            return registry.rollback(name)
