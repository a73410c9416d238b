"""README figures are generated from benchmarks/results/*.json and must agree with them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from benchmarks import readme_figures

ROOT = Path(__file__).resolve().parents[2]


def test_every_renderer_has_its_block_in_the_readme():
    text = (ROOT / "README.md").read_text()
    found = {m.group("name") for m in readme_figures.BLOCK.finditer(text)}
    assert found == set(readme_figures.RENDERERS)


def test_readme_agrees_with_the_results():
    _, changed = readme_figures.render((ROOT / "README.md").read_text())
    assert changed == [], f"run: python benchmarks/readme_figures.py (stale: {changed})"


def test_a_changed_result_is_caught(tmp_path: Path):
    results = tmp_path / "results"
    shutil.copytree(ROOT / "benchmarks" / "results", results)
    path = results / "gate_cold_start.json"
    data = json.loads(path.read_text())
    data["gate_median_s"] = 9.87
    path.write_text(json.dumps(data))
    new, changed = readme_figures.render((ROOT / "README.md").read_text(), results)
    assert changed == ["performance"]
    assert "9.87 s median" in new
