"""Evaluate a CatBoost model exported as JSON with plain Python (the CI gate's light route).

CatBoost's oblivious trees apply the same split at every node of a level, so a leaf index is
the bits ``value > border`` of each level. Hand-written on purpose: importing catboost costs
more than the whole gate budget, and numpy alone a third of it, while 100 patches x a few
hundred depth-4 trees is a few hundred thousand comparisons. Parity with CatBoost is tested.
"""

from __future__ import annotations

import json
import math
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.errors import ModelError


@dataclass(frozen=True)
class Tree:
    """One oblivious tree: per level (feature index, border, NaN goes right), leaf values,
    and per level the cover-weighted mean of every node (for path attributions)."""

    splits: list[tuple[int, float, bool]]
    leaves: list[float]
    node_means: list[list[float]]

    def leaf_index(self, x: list[float]) -> int:
        index = 0
        for level, (feature, border, nan_right) in enumerate(self.splits):
            value = x[feature]
            if value > border or (nan_right and math.isnan(value)):
                index |= 1 << level
        return index


def _node_means(values: list[float], weights: list[float], depth: int) -> list[list[float]]:
    """Means of every node, level 0 (root) .. depth (leaves), nodes keyed by their low bits."""
    means: list[list[float]] = [[] for _ in range(depth + 1)]
    means[depth], cover = list(values), list(weights)
    for level in range(depth - 1, -1, -1):
        width = 1 << level
        below, below_cover = means[level + 1], cover
        means[level], cover = [], []
        for node in range(width):
            left, right = node, node | width
            w = below_cover[left] + below_cover[right]
            if w > 0:
                mean = (below[left] * below_cover[left] + below[right] * below_cover[right]) / w
            else:
                mean = (below[left] + below[right]) / 2
            means[level].append(mean)
            cover.append(w)
    return means


def _tree(raw: dict[str, Any]) -> Tree:
    splits = []
    for split in raw.get("splits", []):
        if split.get("split_type") != "FloatFeature":
            raise ModelError(
                "the model uses non-float splits; the gate needs numeric features only"
            )
        splits.append((int(split["float_feature_index"]), float(split["border"]), False))
    values = [float(v) for v in raw["leaf_values"]]
    weights = [float(w) for w in raw.get("leaf_weights", [1.0] * len(values))]
    if len(values) != 1 << len(splits):
        raise ModelError("the model has multi-class leaves; the gate needs a binary classifier")
    return Tree(splits, values, _node_means(values, weights, len(splits)))


class ObliviousTrees:
    """A CatBoost binary classifier or regressor loaded from its JSON export."""

    def __init__(self, trees: list[Tree], scale: float, bias: float) -> None:
        self.trees = trees
        self.scale = scale
        self.bias = bias

    @classmethod
    def load(cls, path: Path) -> ObliviousTrees:
        """Read a model saved with ``save_model(path, format="json")``."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
            nan_right = {
                int(f["flat_feature_index"]): f.get("nan_value_treatment") == "AsTrue"
                for f in data["features_info"].get("float_features", [])
            }
            trees = [_tree(t) for t in data["oblivious_trees"]]
            scale, biases = data.get("scale_and_bias", [1.0, [0.0]])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot read model {path} (re-train the model)") from exc
        trees = [
            Tree([(f, b, nan_right.get(f, False)) for f, b, _ in t.splits], t.leaves, t.node_means)
            for t in trees
        ]
        bias = float(biases[0]) if isinstance(biases, list) else float(biases)
        return cls(trees, float(scale), bias)

    def raw(self, x: list[float]) -> float:
        """The raw score (log-odds for a classifier) of one input vector."""
        x32 = list(array("f", x))  # CatBoost compares float32 values against float32 borders
        total = sum(tree.leaves[tree.leaf_index(x32)] for tree in self.trees)
        return self.scale * total + self.bias

    def proba(self, x: list[float]) -> float:
        """P(class 1) of one input vector."""
        return 1.0 / (1.0 + math.exp(-self.raw(x)))

    def explain(self, x: list[float]) -> tuple[float, list[float]]:
        """The raw score and per-feature path attributions (Saabas) in one walk of the trees:
        at every level, the change in node mean is credited to that level's feature. A cheap
        stand-in for SHAP; the attributions sum to the raw score minus the mean prediction."""
        x32 = list(array("f", x))  # CatBoost compares float32 values against float32 borders
        out = [0.0] * len(x)
        total = 0.0
        for tree in self.trees:
            node, means = 0, tree.node_means
            for level, (feature, border, nan_right) in enumerate(tree.splits):
                value = x32[feature]
                child = (
                    node | (1 << level)
                    if value > border or (nan_right and value != value)
                    else node
                )
                out[feature] += means[level + 1][child] - means[level][node]
                node = child
            total += tree.leaves[node]
        return self.scale * total + self.bias, [self.scale * c for c in out]

    def contributions(self, x: list[float]) -> list[float]:
        """Per-feature path attributions of the raw score (see :meth:`explain`)."""
        return self.explain(x)[1]
