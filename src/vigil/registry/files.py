"""The registry's files: version folders, manifests with sha256 per file, and aliases.json.

Everything here is standard library only, so the CI gate can find and verify the champion
without importing duckdb. Layout::

    models_dir/<name>/v<N>/<artifact files> + manifest.json
    models_dir/<name>/aliases.json      {"champion": {...version entry...}, "challenger": {...}}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from vigil.errors import ModelError

MANIFEST = "manifest.json"
ALIASES = "aliases.json"
ALIAS_NAMES = ("champion", "challenger")


@dataclass(frozen=True)
class ModelVersion:
    """One registered model version and where its verified files live."""

    name: str
    version: int
    path: Path
    features: list[str]
    metrics: dict[str, Any]
    checksum: str
    created_at: dt.datetime
    train_start: dt.date | None = None
    train_end: dt.date | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (paths and dates as strings)."""
        out = asdict(self)
        out["path"] = str(self.path)
        for key in ("created_at", "train_start", "train_end"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelVersion:
        """Inverse of :meth:`to_json`."""
        return cls(
            name=data["name"],
            version=int(data["version"]),
            path=Path(data["path"]),
            features=list(data["features"]),
            metrics=dict(data.get("metrics") or {}),
            checksum=data["checksum"],
            created_at=dt.datetime.fromisoformat(data["created_at"]),
            train_start=_date(data.get("train_start")),
            train_end=_date(data.get("train_end")),
            params=dict(data.get("params") or {}),
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_checksum(files: dict[str, str]) -> str:
    """One checksum for a version: sha256 of its sorted ``{file: sha256}`` mapping."""
    text = json.dumps(files, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def copy_artifacts(artifact_dir: Path, target: Path) -> dict[str, str]:
    """Copy the artifact folder's files into ``target``; return ``{file: sha256}``."""
    if not artifact_dir.is_dir():
        raise ModelError(f"artifact folder {artifact_dir} does not exist (train the model first)")
    files = sorted(p for p in artifact_dir.iterdir() if p.is_file() and p.name != MANIFEST)
    if not files:
        raise ModelError(f"artifact folder {artifact_dir} holds no files to register")
    if target.exists():
        raise ModelError(
            f"{target} already exists but the registry has no row for it "
            "(the warehouse was rebuilt? move the old models folder aside and re-train)"
        )
    target.mkdir(parents=True)
    hashes: dict[str, str] = {}
    for source in files:
        shutil.copy2(source, target / source.name)
        hashes[source.name] = sha256_file(target / source.name)
    return hashes


def write_manifest(mv: ModelVersion, files: dict[str, str]) -> None:
    """Write ``manifest.json`` beside the artifacts: the version entry plus per-file sha256."""
    payload = {**mv.to_json(), "files": files}
    (mv.path / MANIFEST).write_text(json.dumps(payload, indent=2, sort_keys=True), "utf-8")


def read_manifest(version_dir: Path) -> dict[str, Any]:
    """The manifest of a version folder; ModelError when it is missing or unreadable."""
    path = version_dir / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"model manifest {path} is missing or unreadable (re-train the model)"
        ) from exc
    return data


def verified_path(mv: ModelVersion, filename: str) -> Path:
    """Path of one artifact file after checking its sha256 against the manifest and checksum."""
    manifest = read_manifest(mv.path)
    files: dict[str, str] = manifest.get("files", {})
    if files_checksum(files) != mv.checksum:
        raise ModelError(
            f"manifest of {mv.name} v{mv.version} does not match the registered checksum "
            "(the model folder was modified; re-train or roll back)"
        )
    if filename not in files:
        raise ModelError(f"{mv.name} v{mv.version} has no file {filename} (re-train the model)")
    path = mv.path / filename
    if not path.is_file() or sha256_file(path) != files[filename]:
        raise ModelError(
            f"checksum mismatch for {path} (the file was modified; re-train or roll back)"
        )
    return path


def read_aliases(models_dir: Path, name: str) -> dict[str, ModelVersion]:
    """The alias -> version entries mirrored in ``models_dir/name/aliases.json`` (may be empty)."""
    path = models_dir / name / ALIASES
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text("utf-8"))
    except ValueError as exc:
        raise ModelError(f"{path} is not valid JSON (re-run 'vigil registry promote')") from exc
    folder = models_dir / name
    out = {}
    for alias, entry in raw.items():
        mv = ModelVersion.from_json(entry)
        out[alias] = replace(mv, path=folder / mv.path)  # stored relative: workspaces can move
    return out


def write_aliases(models_dir: Path, name: str, aliases: dict[str, ModelVersion]) -> None:
    """Mirror the current aliases to ``aliases.json`` (written atomically)."""
    folder = models_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    payload = {}
    for alias, mv in sorted(aliases.items()):
        entry = mv.to_json()
        entry["path"] = mv.path.name
        payload[alias] = entry
    tmp = folder / (ALIASES + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True), "utf-8")
    tmp.replace(folder / ALIASES)


def champion(models_dir: Path, name: str) -> ModelVersion | None:
    """The champion of a model from aliases.json, or None when there is none."""
    return read_aliases(models_dir, name).get("champion")
