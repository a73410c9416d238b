"""The deployment hazard: how likely a recent deployment is to start a regression of a feature.

A feature that is not degrading yet mostly starts to degrade because a release touching it has
just rolled out. The hazard combines the deployments of the last week as a noisy-OR:

    P(onset within the horizon) = 1 - (1 - base) * prod_k (1 - r_k * w * exp(-age_k / tau))

where ``r_k`` is the highest as-of patch risk among the deployments of age ``age_k`` (0, 1, 2 and
3-6 days), ``w`` the share of a risky release's effect that reaches the feature, ``tau`` how fast
a deployment stops mattering, and ``base`` a logistic term in how often the feature is changed
(deployments in 28 days) and how many use it (future deployments nobody can see yet).

Five numbers, fitted by maximum likelihood on the calm training rows (not elevated at t), so
they describe new onsets rather than regressions already under way. Written by hand: no
library fits a noisy-OR with a parametric decay, and five parameters keep it stable on the
few hundred onsets one product has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from vigil.errors import ModelError

RISK_BY_AGE = (
    ("deploy_risk_age_0d", 0.0),
    ("deploy_risk_age_1d", 1.0),
    ("deploy_risk_age_2d", 2.0),
    ("deploy_risk_age_3_6d", 4.5),
)
"""input column -> deployment age in days it stands for (3-6 days: its middle)"""
BASE_INPUTS = ("deploys_28d", "users_7d_log")
"""inputs of the base rate: how often the feature changes, how many use it (log)"""
INPUTS = tuple(name for name, _ in RISK_BY_AGE) + BASE_INPUTS
START = np.array([0.0, 0.5, -3.0, 0.0, 0.0])
"""w = 0.5, tau = e^0.5 days, base = 5%: a neutral start for the optimiser"""
DECAY_DAYS = (0.25, 28.0)
"""bounds on tau: beyond a month the decay is flat on a one-week window and tau is not
identified (left free, it wandered to 10^4 days on some tuning worlds)"""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -500, 500))))


class DeploymentHazard:
    """Estimator-style: ``fit`` returns self, learned state (``theta_``) ends in ``_``."""

    def _columns(self, X: np.ndarray, features: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Risk by age (missing = no deployment = 0) and the base design matrix."""
        try:
            risk = X[:, [features.index(name) for name, _ in RISK_BY_AGE]]
            base = X[:, [features.index(name) for name in BASE_INPUTS]]
        except ValueError as exc:
            raise ModelError(f"the deployment hazard needs the inputs {INPUTS}") from exc
        risk = np.clip(np.nan_to_num(np.asarray(risk, dtype=float), nan=0.0), 0.0, 1.0)
        base = np.nan_to_num(np.asarray(base, dtype=float), nan=0.0)
        design = np.column_stack([np.ones(len(X)), np.log1p(np.maximum(base[:, 0], 0)), base[:, 1]])
        return risk, design

    @staticmethod
    def _terms(theta: np.ndarray, risk: np.ndarray, design: np.ndarray) -> np.ndarray:
        """Each cause's own probability per row: one column per deployment age, then the base."""
        ages = np.array([age for _, age in RISK_BY_AGE])
        reach = _sigmoid(theta[0]) * np.exp(-ages / np.exp(theta[1]))
        return np.column_stack([risk * reach, _sigmoid(design @ theta[2:])])

    @classmethod
    def _probability(cls, theta: np.ndarray, risk: np.ndarray, design: np.ndarray) -> np.ndarray:
        """The noisy-OR: any one cause starts the regression."""
        return np.asarray(1.0 - np.prod(1.0 - cls._terms(theta, risk, design), axis=1))

    def fit(self, X: np.ndarray, y: np.ndarray, features: Sequence[str]) -> DeploymentHazard:
        """Maximum-likelihood fit on rows ``X`` (named by ``features``) with outcomes ``y``."""
        from scipy.optimize import minimize

        y = np.asarray(y, dtype=float)
        if len(y) == 0 or y.min() == y.max():
            raise ModelError("the deployment hazard needs calm training rows of both outcomes")
        risk, design = self._columns(np.asarray(X, dtype=float), features)

        def loss(theta: np.ndarray) -> float:
            p = np.clip(self._probability(theta, risk, design), 1e-9, 1 - 1e-9)
            return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))

        free = (None, None)
        bounds = [free, tuple(np.log(DECAY_DAYS)), free, free, free]
        result = minimize(loss, START, method="L-BFGS-B", bounds=bounds)
        self.theta_ = np.asarray(result.x, dtype=float)
        self.features_ = tuple(features)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """P(a regression starts within the horizon | the recent deployments), per row."""
        if not hasattr(self, "theta_"):
            raise ModelError("the deployment hazard is not fitted: call fit() first")
        risk, design = self._columns(np.asarray(X, dtype=float), self.features_)
        return self._probability(self.theta_, risk, design)

    def attribution(self, X: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
        """Which input each row's hazard comes from: the share of each deployment age, and of
        the base rate (credited to ``deploys_28d``), in ``-log(1 - hazard)``, which is their
        sum. Rows with no hazard share nothing."""
        if not hasattr(self, "theta_"):
            raise ModelError("the deployment hazard is not fitted: call fit() first")
        risk, design = self._columns(np.asarray(X, dtype=float), self.features_)
        parts = -np.log1p(-self._terms(self.theta_, risk, design).clip(0.0, 1 - 1e-12))
        total = parts.sum(axis=1, keepdims=True)
        shares = np.divide(parts, total, out=np.zeros_like(parts), where=total > 0)
        return (*(name for name, _ in RISK_BY_AGE), BASE_INPUTS[0]), shares

    def describe(self) -> dict[str, float]:
        """The fitted numbers in their own units (for the metrics report)."""
        theta = self.theta_
        return {
            "reach": float(_sigmoid(theta[:1])[0]),
            "decay_days": float(np.exp(theta[1])),
            "base_intercept": float(theta[2]),
            "base_per_log_deploys_28d": float(theta[3]),
            "base_per_log_users": float(theta[4]),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state."""
        return {"theta": [float(v) for v in self.theta_], "features": list(self.features_)}

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> DeploymentHazard:
        """Rebuild a fitted hazard from :meth:`to_dict` output."""
        hazard = cls()
        hazard.theta_ = np.asarray(payload["theta"], dtype=float)
        hazard.features_ = tuple(payload["features"])
        return hazard
