"""Which firmware each device runs, day by day: devices run the newest release they installed."""

from __future__ import annotations

import numpy as np

from vigil.synth.catalog import Fleet
from vigil.synth.releases import Releases
from vigil.synth.spec import stream

ROLLOUT_STREAM = 8


class Rollout:
    """Install schedule of every release over the targeted devices, replayed one day at a time."""

    def __init__(self, seed: int, rel: Releases, fleet: Fleet) -> None:
        rng = stream(seed, ROLLOUT_STREAM)
        days, releases, devices = [], [], []
        for r in range(len(rel)):
            targeted = rel.changes.targets[r][fleet.model]
            chosen = np.flatnonzero(
                targeted & (rng.random(len(fleet.model)) * 100 < rel.rollout_pct[r])
            )
            devices.append(chosen)
            releases.append(np.full(chosen.size, r))
            days.append(rel.day[r] + rng.geometric(0.4, chosen.size) - 1)
        self._day = np.concatenate(days) if days else np.zeros(0, dtype=np.int64)
        self._release = np.concatenate(releases) if releases else np.zeros(0, dtype=np.int64)
        self._device = np.concatenate(devices) if devices else np.zeros(0, dtype=np.int64)
        self.firmware = np.zeros(len(fleet.model), dtype=np.int64)
        self._apply(self._day < 0)

    def _apply(self, mask: np.ndarray) -> None:
        np.maximum.at(self.firmware, self._device[mask], self._release[mask])

    def advance(self, day: int) -> np.ndarray:
        """Apply the installs of ``day`` and return each device's firmware (release index)."""
        self._apply(self._day == day)
        return self.firmware
