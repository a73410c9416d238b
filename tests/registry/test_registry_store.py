"""ModelRegistry: register, aliases, the promotion margin rule, rollback, history, tamper checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from vigil.errors import ModelError
from vigil.registry import ModelRegistry, verified_path
from vigil.registry.files import champion, read_aliases, sha256_file
from vigil.warehouse.connection import memory_warehouse


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = memory_warehouse()
    yield connection
    connection.close()


@pytest.fixture
def registry(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> ModelRegistry:
    return ModelRegistry(con, tmp_path / "models")


def artifact(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / f"art-{abs(hash(text))}"
    folder.mkdir()
    (folder / "model.json").write_text(text)
    (folder / "extra.txt").write_text("notes")
    return folder


def register(registry: ModelRegistry, tmp_path: Path, n: int) -> list[int]:
    versions = []
    for i in range(n):
        mv = registry.register(
            "m",
            artifact(tmp_path, f"model {i}"),
            metrics={"roc_auc": 0.7 + i / 100},
            features=["a", "b"],
            train_start=None,
            train_end=None,
            params={"i": i},
        )
        versions.append(mv.version)
    return versions


def test_register_copies_files_writes_manifest_and_row(
    registry: ModelRegistry, con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    assert register(registry, tmp_path, 2) == [1, 2]
    mv = registry.version("m", 2)
    assert mv.path == tmp_path / "models" / "m" / "v2"
    manifest = json.loads((mv.path / "manifest.json").read_text())
    assert manifest["files"] == {
        "extra.txt": sha256_file(mv.path / "extra.txt"),
        "model.json": sha256_file(mv.path / "model.json"),
    }
    assert (mv.path / "model.json").read_text() == "model 1"
    rows = con.execute(
        "SELECT name, version, params FROM model_registry ORDER BY version"
    ).fetchall()
    assert [(r[0], r[1], json.loads(r[2])) for r in rows] == [
        ("m", 1, {"i": 0}),
        ("m", 2, {"i": 1}),
    ]
    assert mv.features == ["a", "b"] and mv.metrics == {"roc_auc": 0.71}


def test_get_without_alias_is_none(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 1)
    assert registry.get("m") is None
    assert champion(registry.models_dir, "m") is None


def test_aliases_are_mirrored_to_json(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 2)
    registry.set_alias("m", "champion", 1, "first")
    registry.set_alias("m", "challenger", 2, "trying")
    mirrored = read_aliases(registry.models_dir, "m")
    assert {a: mv.version for a, mv in mirrored.items()} == {"champion": 1, "challenger": 2}
    raw = json.loads((registry.models_dir / "m" / "aliases.json").read_text())
    assert raw["champion"]["path"] == "v1"  # relative, so a workspace can move
    assert mirrored["champion"] == registry.get("m")


def test_unknown_alias_and_version_are_errors(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 1)
    with pytest.raises(ModelError, match="unknown alias 'prod'"):
        registry.set_alias("m", "prod", 1, "x")
    with pytest.raises(ModelError, match="m has no version 9"):
        registry.set_alias("m", "champion", 9, "x")


def test_first_challenger_becomes_champion(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 1)
    assert registry.promote_if_better(
        "m", 1, metric="roc_auc", margin=0.01, champion_score=None, challenger_score=None
    )
    assert registry.aliases("m") == {"champion": 1}


@pytest.mark.parametrize(
    ("champion_score", "challenger_score", "promoted"),
    [(0.80, 0.805, False), (0.80, 0.80, False), (0.80, 0.75, False), (0.80, 0.82, True)],
)
def test_promotion_needs_the_margin(
    registry: ModelRegistry,
    tmp_path: Path,
    champion_score: float,
    challenger_score: float,
    promoted: bool,
) -> None:
    register(registry, tmp_path, 2)
    registry.set_alias("m", "champion", 1, "first")
    won = registry.promote_if_better(
        "m",
        2,
        metric="roc_auc",
        margin=0.01,
        champion_score=champion_score,
        challenger_score=challenger_score,
    )
    assert won is promoted
    expected = {"champion": 2} if promoted else {"champion": 1, "challenger": 2}
    assert registry.aliases("m") == expected


def test_missing_score_never_promotes(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 2)
    registry.set_alias("m", "champion", 1, "first")
    assert not registry.promote_if_better(
        "m", 2, metric="roc_auc", margin=0.0, champion_score=0.5, challenger_score=None
    )
    assert registry.get("m").version == 1  # type: ignore[union-attr]


def test_rollback_walks_back_through_champions(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 3)
    for version in (1, 2, 3):
        registry.set_alias("m", "champion", version, f"v{version}", action="promote")
    assert registry.rollback("m").version == 2
    assert registry.rollback("m").version == 1
    assert champion(registry.models_dir, "m").version == 1  # type: ignore[union-attr]
    with pytest.raises(ModelError, match="m has no previous champion to roll back to"):
        registry.rollback("m")
    history = registry.history("m")
    assert [(h["version"], h["action"]) for h in history] == [
        (1, "promote"),
        (2, "promote"),
        (3, "promote"),
        (2, "rollback"),
        (1, "rollback"),
    ]
    assert [h["previous"] for h in history] == [None, 1, 2, 3, 2]
    assert history[3]["reason"] == "rollback from v3"


def test_tampered_file_raises(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 1)
    mv = registry.version("m", 1)
    assert verified_path(mv, "model.json") == mv.path / "model.json"
    (mv.path / "model.json").write_text("model 0 (edited)")
    with pytest.raises(ModelError, match=r"checksum mismatch for .*model\.json"):
        registry.verified_path(mv, "model.json")


def test_tampered_manifest_raises(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 1)
    mv = registry.version("m", 1)
    manifest = json.loads((mv.path / "manifest.json").read_text())
    manifest["files"]["model.json"] = sha256_file(mv.path / "extra.txt")
    (mv.path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="does not match the registered checksum"):
        verified_path(mv, "extra.txt")


def test_unknown_file_raises(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 1)
    with pytest.raises(ModelError, match=r"m v1 has no file other\.cbm"):
        verified_path(registry.version("m", 1), "other.cbm")


def test_register_needs_files(registry: ModelRegistry, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError, match="holds no files to register"):
        registry.register("m", empty, metrics={}, features=[], train_start=None, train_end=None)


def test_list_filters_by_name(registry: ModelRegistry, tmp_path: Path) -> None:
    register(registry, tmp_path, 2)
    registry.register(
        "other", artifact(tmp_path, "o"), metrics={}, features=[], train_start=None, train_end=None
    )
    assert [(mv.name, mv.version) for mv in registry.list()] == [("m", 1), ("m", 2), ("other", 1)]
    assert [mv.version for mv in registry.list("other")] == [1]


def test_orphan_version_folder_is_not_overwritten(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    old = ModelRegistry(con, tmp_path / "models")
    register(old, tmp_path, 1)
    fresh = ModelRegistry(memory_warehouse(), tmp_path / "models")  # warehouse lost, files kept
    with pytest.raises(ModelError, match="already exists but the registry has no row for it"):
        fresh.register(
            "m",
            artifact(tmp_path, "new"),
            metrics={},
            features=[],
            train_start=None,
            train_end=None,
        )
    assert (tmp_path / "models" / "m" / "v1" / "model.json").read_text() == "model 0"
