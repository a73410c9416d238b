"""The overview's light elements: the markdown table and the inline SVG tier chart show their
values exactly and every text as typed."""

from __future__ import annotations

import pandas as pd
from markdown_it import MarkdownIt

from vigil.dashboard import charts, svg
from vigil.dashboard.ui import markdown_table

NAME = "[Checkout](https://evil.example/x) | **now**\n<b>x</b>"


def test_markdown_table_escapes_every_cell_and_keeps_one_line_per_row() -> None:
    frame = pd.DataFrame({"Feature": [NAME, "Search"], "Risk": ["80%", "7%"]})
    text = markdown_table(frame)
    assert text.splitlines()[:2] == ["| Feature | Risk |", "| --- | --- |"]
    assert len(text.splitlines()) == 4
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<tr>") == 3 and html.count("<td>") == 4
    assert "<a " not in html and "<strong>" not in html and "<b>" not in html
    assert "[Checkout](https://evil.example/x) | **now** &lt;b&gt;x&lt;/b&gt;" in html


def test_tier_chart_has_a_bar_per_tier_and_period_with_its_count() -> None:
    tiers = pd.DataFrame(
        {
            "period": ["current", "current", "current", "previous"],
            "tier": ["act_now", "investigate", "watch", "watch"],
            "features": [4, 9, 287, 300],
        }
    )
    chart = charts.tier_bar(tiers)
    assert chart.count("<rect ") == 6 + 2  # two bars per tier, two legend swatches
    for title in (
        "Act now, latest: 4",
        "Act now, previous: 0",
        "Investigate, latest: 9",
        "Watch, latest: 287",
        "Watch, previous: 300",
    ):
        assert f"<title>{title}</title>" in chart
    assert "\n\n" not in chart  # one HTML block for the markdown renderer


def test_the_tallest_bar_fills_the_plot_and_text_is_escaped() -> None:
    groups = [svg.Group("<b>", "#000", (0, 10)), svg.Group("a&b", "#111", (5, 0))]
    chart = svg.grouped_bars("T<i>", groups, series=("x", "y"), opacities=(0.5, 1.0))
    assert "<b>" not in chart and "<i>" not in chart
    assert "&lt;b&gt;" in chart and "a&amp;b" in chart and "T&lt;i&gt;" in chart
    full = f'height="{svg.HEIGHT - svg.BOTTOM - svg.TOP:.1f}"'
    half = f'height="{(svg.HEIGHT - svg.BOTTOM - svg.TOP) / 2:.1f}"'
    assert chart.count(full) == 1 and chart.count(half) == 1
