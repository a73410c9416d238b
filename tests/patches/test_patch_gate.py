"""`vigil gate`: exit codes and messages for bad input, PASS / BLOCKED, parity with CatBoost."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.config import VigilConfig
from vigil.patches.holdout import matrix
from vigil.patches.inputs import MODEL_NAME
from vigil.patches.model import PatchRiskModel
from vigil.patches.treemodel import ObliviousTrees
from vigil.registry.files import champion, verified_path

from .patch_world import (
    PENDING_COLUMNS,
    releases,
    trained_workspace,
    write_pending,
    write_workspace,
)

runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VigilConfig]:
    cfg, con = trained_workspace(tmp_path_factory.mktemp("gate"))
    con.close()
    yield cfg


@pytest.fixture
def pending(tmp_path: Path) -> Path:
    return write_pending(tmp_path / "pending.csv", releases(6, seed=3, first=100))


def gate(cfg: VigilConfig, *args: str):
    return runner.invoke(app, ["gate", *args, "-c", str(cfg.root / "vigil.yaml")])


def test_pass_when_nothing_reaches_block(workspace: VigilConfig, pending: Path) -> None:
    result = gate(workspace, str(pending), "--block", "1.0", "--marginal", "1.0")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["decision"] == "PASS"
    assert payload["n_patches"] == 6
    assert payload["n_high_risk"] == 0
    assert payload["model_version"] == 1
    assert [p["id"] for p in payload["patches"]] == [f"fw-{i:03d}" for i in range(100, 106)]
    assert all(0.0 <= p["risk"] <= 1.0 and p["reasons"] for p in payload["patches"])
    assert all(r.endswith("lowers risk") for p in payload["patches"] for r in p["reasons"])
    assert result.stderr.startswith("PASS: 6 patches, none at risk >= 1.0")


def test_blocked_exits_1_and_names_patches(workspace: VigilConfig, pending: Path) -> None:
    result = gate(workspace, str(pending), "--block", "0.0", "--marginal", "0.0")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["decision"] == "BLOCKED"
    assert payload["n_high_risk"] == 6
    assert {p["tier"] for p in payload["patches"]} == {"high"}
    assert all(r.endswith("raises risk") for p in payload["patches"] for r in p["reasons"])
    assert result.stderr.startswith("BLOCKED: 6 of 6 patches at risk >= 0.0: fw-100, fw-101")


def test_config_thresholds_and_tiers_agree(workspace: VigilConfig, pending: Path) -> None:
    payload = json.loads(gate(workspace, str(pending)).stdout)
    block, marginal = workspace.patches.gate.block, workspace.patches.gate.marginal
    assert (payload["block"], payload["marginal"]) == (block, marginal)
    for patch in payload["patches"]:
        expected = (
            "high" if patch["risk"] >= block else "marginal" if patch["risk"] >= marginal else "low"
        )
        assert patch["tier"] == expected
    assert payload["n_high_risk"] == sum(p["tier"] == "high" for p in payload["patches"])
    assert payload["n_marginal"] == sum(p["tier"] == "marginal" for p in payload["patches"])


def test_missing_file(workspace: VigilConfig, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = gate(workspace, str(missing))
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"Error: {missing}: file not found (pass the CSV of pending patches)"
    )
    assert result.stdout == ""


def test_empty_file(workspace: VigilConfig, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = gate(workspace, str(empty))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {empty}: file is empty (expected a header row and one row per patch)"
    )


def test_header_without_rows(workspace: VigilConfig, tmp_path: Path) -> None:
    path = write_pending(tmp_path / "header.csv", [])
    result = gate(workspace, str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {path}: file has a header but no patches"


def test_missing_columns_named(workspace: VigilConfig, tmp_path: Path) -> None:
    columns = tuple(c for c in PENDING_COLUMNS if c not in ("files_changed", "code_churn"))
    path = write_pending(tmp_path / "cols.csv", releases(2), columns)
    result = gate(workspace, str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {path}: missing columns: files_changed, code_churn (the model needs them)"
    )


def test_touched_features_count_needs_one_of_two_columns(
    workspace: VigilConfig, tmp_path: Path
) -> None:
    columns = tuple(c for c in PENDING_COLUMNS if c != "touched_features")
    path = write_pending(tmp_path / "cols.csv", releases(2), columns)
    result = gate(workspace, str(path))
    assert result.exit_code == 2
    assert "missing columns: n_touched_features (the model needs them)" in result.stderr


def test_non_numeric_value_names_row_and_column(workspace: VigilConfig, tmp_path: Path) -> None:
    rows = releases(3)
    rows[1]["lines_added"] = "lots"
    path = write_pending(tmp_path / "bad.csv", rows)
    result = gate(workspace, str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {path}: row 2 (line 3), column 'lines_added': 'lots' is not a number"
    )


def test_no_trained_model_says_how_to_train(tmp_path: Path, pending: Path) -> None:
    config = write_workspace(tmp_path / "fresh")
    result = runner.invoke(app, ["gate", str(pending), "-c", str(config)])
    assert result.exit_code == 2
    models = tmp_path / "fresh" / ".vigil" / "models"
    assert result.stderr.strip() == (
        f"Error: no trained patch model in {models} (run 'vigil train patches -c vigil.yaml')"
    )


def test_marginal_above_block_is_usage_error(workspace: VigilConfig, pending: Path) -> None:
    result = gate(workspace, str(pending), "--block", "0.3", "--marginal", "0.5")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --marginal 0.5 must not exceed --block 0.3"


def test_tampered_model_is_refused(tmp_path: Path, pending: Path) -> None:
    cfg, con = trained_workspace(tmp_path / "ws", n=24)
    con.close()
    mv = champion(cfg.models_dir, MODEL_NAME)
    assert mv is not None
    with (mv.path / "classifier.json").open("a") as handle:
        handle.write(" ")
    result = gate(cfg, str(pending))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: checksum mismatch for ")


def test_output_csv_holds_scores(workspace: VigilConfig, pending: Path, tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    result = gate(workspace, str(pending), "--output", str(out))
    payload = json.loads(result.stdout)
    lines = out.read_text().splitlines()
    assert lines[0].endswith(",risk,tier,reasons")
    assert len(lines) == 1 + payload["n_patches"]


def test_json_trees_match_catboost(workspace: VigilConfig) -> None:
    mv = champion(workspace.models_dir, MODEL_NAME)
    assert mv is not None
    rows = releases(30, seed=11, first=200)
    rows[0]["code_churn"] = None  # missing values follow CatBoost's NaN rule too
    import polars as pl

    X = matrix(pl.DataFrame(rows), mv.features)
    expected = PatchRiskModel.load(mv).predict_uncalibrated(X)
    trees = ObliviousTrees.load(verified_path(mv, "classifier.json"))
    got = np.array([trees.proba(list(x)) for x in X])
    np.testing.assert_allclose(got, expected, atol=1e-6, rtol=0)
    base = trees.scale * sum(t.node_means[0][0] for t in trees.trees) + trees.bias
    for x in X:
        raw, contributions = trees.explain(list(x))
        assert raw == pytest.approx(trees.raw(list(x)), abs=1e-9)
        assert sum(contributions) == pytest.approx(raw - base, abs=1e-9)  # attributions add up


def test_gate_risk_matches_catboost(workspace: VigilConfig, pending: Path) -> None:
    import polars as pl

    mv = champion(workspace.models_dir, MODEL_NAME)
    assert mv is not None
    payload = json.loads(gate(workspace, str(pending)).stdout)
    frame = pl.read_csv(pending).with_columns(pl.col("touched_features").str.split(";"))
    model = PatchRiskModel.load(mv)
    expected = model.predict_proba(matrix(frame, mv.features))
    got = [p["risk"] for p in payload["patches"]]
    np.testing.assert_allclose(got, expected, atol=1e-6, rtol=0)  # calibrated, as trained
    raw = model.predict_uncalibrated(matrix(frame, mv.features))
    assert np.abs(np.array(got) - raw).max() > 0.01  # the Platt map is applied, not skipped


def test_fresh_process_avoids_heavy_imports(  # duckdb only reads the registry row
    workspace: VigilConfig, pending: Path
) -> None:
    script = (
        "import sys\n"
        "from vigil.cli.main import main\n"
        "sys.argv = ['vigil', 'gate', *sys.argv[1:]]\n"
        "try:\n    main()\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        "names = ('polars', 'catboost', 'sklearn', 'pandas')\n"
        "heavy = sorted(m for m in names if m in sys.modules)\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
        "sys.exit(code)\n"
    )
    config = str(workspace.root / "vigil.yaml")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(pending),
            "-c",
            config,
            "--block",
            "1",
            "--marginal",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["decision"] == "PASS"
    assert done.stderr.strip().splitlines()[-1] == "HEAVY="
