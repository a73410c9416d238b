"""Leave-one-category-out tuning for the NAB benchmark: settings chosen on four categories only.

Each file's component scores are computed once per window variant (the settings that change
them); tuning then only recombines components, applies repeat suppression and sweeps the
threshold. :func:`tune` sees only the files it is handed, and :func:`leave_one_category_out`
hands it every category but the one it scores, so no setting is chosen on the scored fold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nab_scoring import PROFILES, NabFile, normalise
from vigil.detection.series import episode_start_rows

# Fine steps where the likelihood scores of true anomalies live, coarser above.
THRESHOLDS = np.round(
    np.concatenate([np.arange(0.05, 0.3, 0.005), np.arange(0.3, 1.0001, 0.02)]), 4
)


@dataclass(frozen=True)
class Variant:
    """Likelihood windows: they change the component scores, so those are computed per variant."""

    likelihood_short: int
    likelihood_long: int
    likelihood_warmup: int


@dataclass(frozen=True)
class Config:
    """Everything but the threshold: window variant, enabled components, suppression gap."""

    variant: Variant
    components: tuple[str, ...]
    suppress_rows: int


@dataclass(frozen=True)
class SearchSpace:
    """The settings tuning may choose from; the threshold is always swept over THRESHOLDS."""

    variants: tuple[Variant, ...]
    components: tuple[str, ...]
    suppress_rows: tuple[int, ...]

    def configs(self) -> list[Config]:
        return [
            Config(v, self.components, gap) for v in self.variants for gap in self.suppress_rows
        ]


@dataclass(frozen=True)
class Choice:
    """A tuned setting and the normalised score it reached on the files it was tuned on."""

    config: Config
    threshold: float
    tuned_normalised: float

    def as_dict(self) -> dict[str, object]:
        return {
            "likelihood_short": self.config.variant.likelihood_short,
            "likelihood_long": self.config.variant.likelihood_long,
            "likelihood_warmup": self.config.variant.likelihood_warmup,
            "components": list(self.config.components),
            "suppress_rows": self.config.suppress_rows,
            "threshold": self.threshold,
        }


@dataclass
class ScoredFile:
    """One NAB file with its component scores per variant (pre-suppression, probation zeroed)."""

    nab: NabFile
    scores: dict[Variant, dict[str, np.ndarray]]
    _raw: dict[tuple[Config, str], np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.nab.name

    @property
    def category(self) -> str:
        return self.nab.category

    def ensemble(self, config: Config) -> np.ndarray:
        """Maximum over the config's components, as `vigil.detection.series.ensemble` does."""
        parts = self.scores[config.variant]
        return np.max(np.vstack([parts[name] for name in config.components]), axis=0)

    def detections(self, config: Config, threshold: float) -> np.ndarray:
        """Rows flagged at this threshold after the detector's own repeat suppression."""
        return self._flags(self.ensemble(config), threshold, config.suppress_rows)

    def _flags(self, score: np.ndarray, threshold: float, gap: int) -> np.ndarray:
        out = np.zeros(self.nab.labelled.n, dtype=bool)
        out[episode_start_rows(score, threshold, gap)] = True
        return out

    def raw_by_threshold(self, config: Config, profile: str) -> np.ndarray:
        """Raw NAB score of this file at every threshold of THRESHOLDS (cached)."""
        key = (config, profile)
        if key not in self._raw:
            weights, score = PROFILES[profile], self.ensemble(config)
            gap, labelled = config.suppress_rows, self.nab.labelled
            raws = [labelled.score(self._flags(score, t, gap), weights)["raw"] for t in THRESHOLDS]
            self._raw[key] = np.array(raws)
        return self._raw[key]


Tuner = Callable[[Sequence[ScoredFile], SearchSpace, str], Choice]


def pooled(files: Sequence[ScoredFile], raw: float, profile: str) -> float | None:
    """Normalised score of a summed raw score over these files."""
    weights = PROFILES[profile]
    null = sum(f.nab.labelled.null_raw(weights) for f in files)
    perfect = sum(f.nab.labelled.perfect_raw(weights) for f in files)
    return normalise(raw, null, perfect)


def tune(files: Sequence[ScoredFile], space: SearchSpace, profile: str) -> Choice:
    """The config and threshold that maximise the pooled score on ``files`` (NAB's optimiser,
    extended to the search space). Ties go to the first config and the lowest threshold."""
    best: tuple[float, Config, int] | None = None
    for config in space.configs():
        totals = np.sum([f.raw_by_threshold(config, profile) for f in files], axis=0)
        j = int(np.argmax(totals))
        if best is None or totals[j] > best[0]:
            best = (float(totals[j]), config, j)
    assert best is not None
    raw, config, j = best
    return Choice(config, float(THRESHOLDS[j]), pooled(files, raw, profile) or 0.0)


def score_with(files: Sequence[ScoredFile], choice: Choice, profile: str) -> float:
    """Summed raw score of ``files`` under a fixed choice."""
    j = int(np.flatnonzero(np.isclose(THRESHOLDS, choice.threshold))[0])
    return float(sum(f.raw_by_threshold(choice.config, profile)[j] for f in files))


@dataclass(frozen=True)
class Fold:
    """One held-out category: what was chosen without it and how it scored."""

    category: str
    choice: Choice
    raw: float
    normalised: float | None
    files: int


def leave_one_category_out(
    files: Sequence[ScoredFile], space: SearchSpace, profile: str, tuner: Tuner = tune
) -> tuple[float, list[Fold]]:
    """Pooled normalised score where each file is scored with settings tuned without its
    category, and the per-fold choices."""
    categories = sorted({f.category for f in files})
    folds, total = [], 0.0
    for held_out in categories:
        train = [f for f in files if f.category != held_out]
        test = [f for f in files if f.category == held_out]
        choice = tuner(train, space, profile)
        raw = score_with(test, choice, profile)
        total += raw
        folds.append(Fold(held_out, choice, raw, pooled(test, raw, profile), len(test)))
    overall = pooled(files, total, profile)
    assert overall is not None, "the corpus has no labelled window"
    return overall, folds
