"""ModelRegistry: versions in the warehouse, artifacts on disk, aliases mirrored to JSON."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import logging
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigil.errors import ModelError
from vigil.registry import files
from vigil.registry.files import ALIAS_NAMES, ModelVersion

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)


@cache
def _sql(name: str) -> str:
    return (resources.files("vigil.registry") / "sql" / f"{name}.sql").read_text("utf-8")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ModelRegistry:
    """Versioned models with ``champion`` / ``challenger`` aliases and their history."""

    def __init__(self, con: duckdb.DuckDBPyConnection, models_dir: Path) -> None:
        self.con = con
        self.models_dir = Path(models_dir)

    def register(
        self,
        name: str,
        artifact_dir: Path,
        *,
        metrics: dict[str, Any],
        features: builtins.list[str],
        train_start: dt.date | None,
        train_end: dt.date | None,
        params: dict[str, Any] | None = None,
    ) -> ModelVersion:
        """Copy the artifacts into ``models_dir/name/v<N>/``, write the manifest, record the row."""
        version = self.con.execute(_sql("next_version"), {"name": name}).fetchall()[0][0]
        target = self.models_dir / name / f"v{version}"
        hashes = files.copy_artifacts(Path(artifact_dir), target)
        mv = ModelVersion(
            name=name,
            version=int(version),
            path=target,
            features=builtins.list(features),
            metrics=dict(metrics),
            checksum=files.files_checksum(hashes),
            created_at=_now(),
            train_start=train_start,
            train_end=train_end,
            params=dict(params or {}),
        )
        files.write_manifest(mv, hashes)
        self.con.execute(_sql("insert_version"), _row(mv))
        log.info("registered %s v%d (%d files)", name, mv.version, len(hashes))
        return mv

    def set_alias(
        self, name: str, alias: str, version: int, reason: str, *, action: str = "set"
    ) -> None:
        """Point an alias at a version; the move is kept in model_alias_history."""
        if alias not in ALIAS_NAMES:
            raise ModelError(f"unknown alias '{alias}' (use one of: {', '.join(ALIAS_NAMES)})")
        target = self.version(name, version)
        current = self.aliases(name)
        self.con.execute(
            _sql("insert_alias"),
            {
                "name": name,
                "alias": alias,
                "version": target.version,
                "previous": current.get(alias),
                "action": action,
                "reason": reason,
                "changed_at": _now(),
            },
        )
        self._mirror(name)
        log.info("%s: %s -> v%d (%s)", name, alias, target.version, reason)

    def retire(self, name: str, alias: str, reason: str) -> None:
        """Clear an alias (e.g. a scorer no longer in service); the move stays in the history."""
        current = self.aliases(name).get(alias)
        if current is not None:
            self.set_alias(name, alias, current, reason, action="retire")

    def get(self, name: str, alias: str = "champion") -> ModelVersion | None:
        """The version an alias points at, or None."""
        version = self.aliases(name).get(alias)
        return None if version is None else self.version(name, version)

    def version(self, name: str, version: int) -> ModelVersion:
        """One registered version; ModelError when it does not exist."""
        for mv in self.list(name):
            if mv.version == version:
                return mv
        raise ModelError(f"{name} has no version {version} (see 'vigil registry list')")

    def verified_path(self, mv: ModelVersion, filename: str) -> Path:
        """Path of an artifact file after its sha256 check (ModelError on mismatch)."""
        return files.verified_path(mv, filename)

    def list(self, name: str | None = None) -> builtins.list[ModelVersion]:
        """Every registered version (of one model, or all), oldest first."""
        rows = self.con.execute(_sql("select_versions"), {"name": name}).fetchall()
        return [_version(row, self.models_dir) for row in rows]

    def aliases(self, name: str) -> dict[str, int]:
        """Alias -> version for one model."""
        rows = self.con.execute(_sql("current_aliases"), {"name": name}).fetchall()
        return {alias: int(version) for alias, version in rows}

    def history(self, name: str, alias: str = "champion") -> builtins.list[dict[str, Any]]:
        """Every move of an alias, oldest first."""
        cursor = self.con.execute(_sql("alias_history"), {"name": name, "alias": alias})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def promote_if_better(
        self,
        name: str,
        challenger: int,
        *,
        metric: str,
        margin: float,
        champion_score: float | None,
        challenger_score: float | None,
    ) -> bool:
        """Make ``challenger`` champion when it beats the champion by ``margin`` on one hold-out.

        Both scores must come from the same fresh hold-out. With no champion the challenger
        wins outright; with a missing score nothing is promoted.
        """
        if self.get(name) is None:
            self.set_alias(name, "champion", challenger, "first model", action="promote")
            return True
        if champion_score is None or challenger_score is None:
            self.set_alias(name, "challenger", challenger, f"{metric} not measurable on hold-out")
            return False
        wins = challenger_score >= champion_score + margin
        verdict = (
            f"{metric} {challenger_score:.4f} vs champion {champion_score:.4f} (margin {margin})"
        )
        if wins:
            self.set_alias(name, "champion", challenger, verdict, action="promote")
        else:
            self.set_alias(name, "challenger", challenger, verdict)
        return wins

    def rollback(self, name: str) -> ModelVersion:
        """Point the champion back at the champion before it (rollbacks chain backwards)."""
        stack: builtins.list[int] = []
        for move in self.history(name, "champion"):
            if move["action"] == "rollback":
                stack.pop()
            else:
                stack.append(int(move["version"]))
        if len(stack) < 2:
            raise ModelError(f"{name} has no previous champion to roll back to")
        current, previous = stack[-1], stack[-2]
        self.set_alias(name, "champion", previous, f"rollback from v{current}", action="rollback")
        return self.version(name, previous)

    def _mirror(self, name: str) -> None:
        current = {alias: self.version(name, v) for alias, v in self.aliases(name).items()}
        files.write_aliases(self.models_dir, name, current)


def _row(mv: ModelVersion) -> dict[str, Any]:
    return {
        "name": mv.name,
        "version": mv.version,
        "created_at": mv.created_at,
        "path": str(mv.path),
        "metrics": json.dumps(mv.metrics, default=str),
        "features": json.dumps(mv.features),
        "train_start": mv.train_start,
        "train_end": mv.train_end,
        "checksum": mv.checksum,
        "params": json.dumps(mv.params, default=str),
    }


def _version(row: tuple[Any, ...], models_dir: Path) -> ModelVersion:
    name, version, path, features, metrics, checksum, created_at, start, end, params = row
    return ModelVersion(
        name=name,
        version=int(version),
        path=models_dir / name / Path(path).name,  # relative to models_dir: workspaces move
        features=json.loads(features or "[]"),
        metrics=json.loads(metrics or "{}"),
        checksum=checksum,
        created_at=created_at,
        train_start=start,
        train_end=end,
        params=json.loads(params or "{}"),
    )
