"""Small bar charts as inline SVG: the browser draws them with the page's text, with no chart
library to load (Vega-Lite or Plotly take longer to load than the overview takes to read).

Each bar carries a ``<title>``, so hovering it shows its exact value, like a chart tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 440, 250
TOP, BOTTOM, SIDE = 58, 24, 8
"""room for the title and legend above the bars, the group labels below, the sides"""
FONT = "font-family:sans-serif;font-size:12px;fill:#31333F"
AXIS = "#CFD8DC"


@dataclass(frozen=True)
class Group:
    """One group of bars: its label, its colour and one value per series."""

    label: str
    color: str
    values: tuple[int, ...]


def grouped_bars(
    title: str, groups: Sequence[Group], series: Sequence[str], opacities: Sequence[float]
) -> str:
    """Bars grouped by ``groups`` (one bar per series, told apart by opacity), each labelled with
    its value, under a title and a legend of the series. Every text is escaped."""
    top = max([v for g in groups for v in g.values] + [1])
    slot = (WIDTH - 2 * SIDE) / max(len(groups), 1)
    bar = slot * 0.7 / max(len(series), 1)
    base = HEIGHT - BOTTOM
    parts = [
        f'<svg data-testid="vigilBarChart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(title)}" '
        f'style="max-width:{WIDTH * 1.5:.0f}px;margin-bottom:12px">',
        f"<title>{escape(title)}</title>",
        f'<text x="{SIDE}" y="16" style="{FONT};font-size:14px;font-weight:600">'
        f"{escape(title)}</text>",
        *_legend(series, opacities),
        f'<line x1="{SIDE}" x2="{WIDTH - SIDE}" y1="{base}" y2="{base}" stroke="{AXIS}"/>',
    ]
    for i, group in enumerate(groups):
        left = SIDE + i * slot + slot * 0.15
        for j, (name, value, opacity) in enumerate(
            zip(series, group.values, opacities, strict=True)
        ):
            height = value / top * (base - TOP)
            x, y = left + j * bar, base - height
            tip = f"{group.label}, {name}: {value}"
            parts += [
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{height:.1f}" '
                f'fill="{group.color}" fill-opacity="{opacity}">'
                f"<title>{escape(tip)}</title></rect>",
                f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'style="{FONT}">{value}</text>',
            ]
        parts.append(
            f'<text x="{SIDE + (i + 0.5) * slot:.1f}" y="{HEIGHT - 6}" text-anchor="middle" '
            f'style="{FONT}">{escape(group.label)}</text>'
        )
    return "\n".join([*parts, "</svg>"])


def _legend(series: Sequence[str], opacities: Sequence[float]) -> list[str]:
    """One grey swatch per series, at the given opacity, top right."""
    parts = []
    for k, (name, opacity) in enumerate(zip(series, opacities, strict=True)):
        x = WIDTH - SIDE - 80 * (len(series) - k)
        parts += [
            f'<rect x="{x}" y="26" width="10" height="10" fill="#546E7A" '
            f'fill-opacity="{opacity}"/>',
            f'<text x="{x + 14}" y="35" style="{FONT}">{escape(name)}</text>',
        ]
    return parts
