"""Config for the device-fleet risk: credibility priors, the age weight and the tiers.

The immediate tier is the fleet's share of the attention budget: a segment is in it when its
weighted risk reaches ``immediate``, it still has devices on the firmware in the last
``active_days`` days, and it ranks among the ``immediate_max`` riskiest such segments. The
cut-offs were chosen on the tuning worlds of ``benchmarks/attention.py`` (seeds 101-103).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from vigil.settings_base import Section


class FleetSettings(Section):
    """Fleet risk knobs (the spike ratio is ``patches.spike_ratio``)."""

    error_prior_days: float = Field(200.0, ge=0.0)
    """device-days at the fleet's error rate blended into each group's rate"""
    rma_prior_devices: float = Field(20.0, ge=0.0)
    """devices at the fleet's RMA rate blended into each group's rate"""
    age_weight_per_year: float = Field(0.25, ge=0.0)
    age_cap_years: float = Field(4.0, gt=0.0)
    immediate: float = Field(2.0, gt=0.0)
    """weighted risk (1.0 = an average device) from which a segment may need immediate watch"""
    enhanced: float = Field(1.25, gt=0.0)
    immediate_max: int = Field(10, ge=0)
    """at most this many segments in the immediate tier (the riskiest); the rest are enhanced"""
    active_days: int = Field(7, ge=1)
    """a segment needs devices on its firmware within this many days to be immediate"""

    @model_validator(mode="after")
    def _ordered(self) -> FleetSettings:
        if self.enhanced > self.immediate:
            raise ValueError("fleet.enhanced must not exceed fleet.immediate")
        return self
