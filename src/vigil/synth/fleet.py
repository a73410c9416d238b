"""Device error events (from the firmware each device runs) and the support tickets they cause."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from vigil.synth.catalog import Fleet
from vigil.synth.releases import BASE_ERROR_RATE, BASE_RMA, Releases, device_factor
from vigil.synth.spec import WorldSpec, stream
from vigil.synth.telemetry import Lookups

FLEET_STREAM = 30
BASE_CODES = np.array([f"E{c}" for c in range(101, 111)])
BASE_CODE_P = np.array([0.2, 0.15, 0.12, 0.1, 0.1, 0.08, 0.08, 0.07, 0.05, 0.05])
SEVERITIES = np.array(["info", "warning", "error", "critical"])
BASE_SEVERITY_P = (0.4, 0.35, 0.2, 0.05)
SIGNATURE_SEVERITY_P = (0.0, 0.3, 0.45, 0.25)
TICKET_P = np.array([0.005, 0.01, 0.04, 0.15])
"""chance an error of each severity (index into SEVERITIES) becomes a support ticket"""


def signature_code(release: np.ndarray) -> np.ndarray:
    """The error code a firmware's own defects raise (beyond the fleet's background errors)."""
    return np.char.add("E", (300 + release % 40).astype(str))


def day_device_events(
    spec: WorldSpec, fleet: Fleet, rel: Releases, firmware: np.ndarray, day: int
) -> dict[str, np.ndarray]:
    """Errors of every device today: Poisson(firmware rate x model x age), sorted by time."""
    rng = stream(spec.seed, FLEET_STREAM, day)
    rate = rel.error_rate[firmware] * device_factor(fleet, day) / 10_000
    device = np.repeat(np.arange(len(firmware)), rng.poisson(rate))
    us = spec.start_us + day * 86_400_000_000 + rng.integers(0, 86_400_000_000, device.size)
    order = np.argsort(us, kind="stable")
    device, us = device[order], us[order]
    fw = firmware[device]
    excess = np.clip(1.0 - BASE_ERROR_RATE / rel.error_rate[fw], 0.0, 1.0)
    own = rng.random(device.size) < excess
    code = np.where(own, signature_code(fw), rng.choice(BASE_CODES, device.size, p=BASE_CODE_P))
    severity = np.where(
        own,
        rng.choice(len(SEVERITIES), device.size, p=SIGNATURE_SEVERITY_P),
        rng.choice(len(SEVERITIES), device.size, p=BASE_SEVERITY_P),
    )
    return {"device": device, "us": us, "fw": fw, "code": code, "severity": severity}


def device_table(ev: dict[str, np.ndarray], fleet: Fleet, look: Lookups) -> pa.Table:
    """The device_events Parquet layout."""
    return pa.table(
        {
            "device_id": fleet.ids.take(ev["device"]),
            "event_time": pa.array(ev["us"], pa.timestamp("us")),
            "firmware_version": look.versions.take(ev["fw"]),
            "error_code": pa.array(ev["code"], pa.string()),
            "severity": pa.array(SEVERITIES[ev["severity"]], pa.string()),
            "device_model": look.models.take(fleet.model[ev["device"]]),
            "region": look.regions.take(fleet.region[ev["device"]]),
        }
    )


def day_tickets(
    spec: WorldSpec, ev: dict[str, np.ndarray], rel: Releases, day: int
) -> dict[str, np.ndarray]:
    """Some errors become tickets a day or two later; risky firmware brings more RMAs."""
    rng = stream(spec.seed, FLEET_STREAM, day, 1)
    p = TICKET_P[ev["severity"]]
    hit = np.flatnonzero(rng.random(p.size) < p)
    created = ev["us"][hit] + (rng.exponential(1.5, hit.size) * 86_400_000_000).astype(np.int64)
    fw = ev["fw"][hit]
    rma = rng.random(hit.size) < np.minimum(0.8, 0.08 * rel.rma_rate[fw] / BASE_RMA)
    inside = created < spec.start_us + spec.days * 86_400_000_000
    return {
        "device": ev["device"][hit][inside],
        "us": created[inside],
        "code": ev["code"][hit][inside],
        "rma": rma[inside],
    }


def tickets_frame(parts: list[dict[str, np.ndarray]], fleet: Fleet) -> pl.DataFrame:
    """support_tickets.csv: every ticket of the world, by creation time, numbered in that order."""
    device = np.concatenate([p["device"] for p in parts]) if parts else np.zeros(0, np.int64)
    us = np.concatenate([p["us"] for p in parts]) if parts else np.zeros(0, np.int64)
    code = np.concatenate([p["code"] for p in parts]) if parts else np.zeros(0, str)
    rma = np.concatenate([p["rma"] for p in parts]) if parts else np.zeros(0, bool)
    order = np.argsort(us, kind="stable")
    return pl.DataFrame(
        {
            "ticket_id": [f"T{i + 1:07d}" for i in range(us.size)],
            "device_id": pl.Series(fleet.ids.take(device[order])),
            "created_at": pl.Series(us[order], dtype=pl.Datetime("us")),
            "error_code": pl.Series(code[order], dtype=pl.Utf8),
            "is_rma": rma[order],
        }
    )
