"""The synthetic product world behind `vigil generate` and `vigil demo`.

``generate_world`` writes every input of docs/ARCHITECTURE.md under ``data/`` and the injected
ground truth under ``truth/``; ``generate_events_only`` writes just telemetry for benchmarks;
``vigil.synth.truth`` loads the ground truth for evaluation code.
"""

from vigil.synth.world import WorldSummary, generate_events_only, generate_world

__all__ = ["WorldSummary", "generate_events_only", "generate_world"]
