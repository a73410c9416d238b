"""CLI: `vigil attention` — today's ranked attention list, capped at the daily budget."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.common import (
    DEFAULT_CONFIG,
    ConfigOption,
    JsonOption,
    console,
    emit_json,
    handle_errors,
    open_workspace,
)

AllOption = Annotated[
    bool, typer.Option("--all", help="Also list the candidates outside the budget.")
]


@handle_errors
def attention(
    config: ConfigOption = DEFAULT_CONFIG, as_json: JsonOption = False, show_all: AllOption = False
) -> None:
    """What needs attention: every signal ranked on one scale, at most attention.budget items."""
    import polars as pl
    from rich.table import Table

    ws = open_workspace(config)
    cfg = ws.config
    items = ws.attention()
    shown = items if show_all else items.filter(pl.col("in_budget"))
    rest = items.height - int(items["in_budget"].sum()) if items.height else 0
    if as_json:
        payload = {"budget": cfg.attention.budget, "not_shown": 0 if show_all else rest}
        emit_json(payload | {"items": shown.drop("run_id", strict=False).to_dicts()})
        return
    if items.height == 0:
        console.print("Nothing needs attention on the latest data.")
        return
    table = Table("rank", "item", "likely", "exposed", "evidence", title="What needs attention")
    for r in shown.iter_rows(named=True):
        exposed = "-" if r["users_exposed"] is None else f"{r['users_exposed']:,.0f}"
        table.add_row(str(r["rank"]), r["title"], f"{r['probability']:.0%}", exposed, r["evidence"])
    console.print(table)
    if rest and not show_all:
        console.print(
            f"And {rest} lower-priority signals outside the budget of "
            f"{cfg.attention.budget} (--all lists them)."
        )


def register(app: typer.Typer) -> None:
    """Add this area's command to the app."""
    app.command("attention")(attention)
