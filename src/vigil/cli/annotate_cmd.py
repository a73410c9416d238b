"""CLI: `vigil annotate deployment|incident add|list|remove` — annotations that survive re-runs
and show on the Trends charts and in anomaly attribution."""

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

annotate_app = typer.Typer(
    help="Deployments and incidents added by hand (Trends charts, attribution).",
    no_args_is_help=True,
)

FeatureOption = Annotated[
    str, typer.Option("--feature", help="Feature id, or 'all' for every feature.")
]
StartOption = Annotated[str, typer.Option("--start", help="When it began (ISO date or time).")]
EndOption = Annotated[
    str | None, typer.Option("--end", help="When it ended (ISO date or time; optional).")
]
TextOption = Annotated[str, typer.Option("--text", help="What happened, in a few words.")]
IdOption = Annotated[
    str | None, typer.Option("--id", help="An id of your own (default: made from the content).")
]
ListFeatureOption = Annotated[
    str | None, typer.Option("--feature", help="Only annotations touching this feature.")
]


def _add(
    kind: str,
    config: ConfigOption,
    feature: str,
    start: str,
    end: str | None,
    text: str,
    annotation_id: str | None,
    as_json: bool,
) -> None:
    from vigil.annotations.store import Annotation, feature_scope, parse_time

    note = Annotation(
        kind,  # type: ignore[arg-type]
        feature_scope(feature),
        parse_time(start, "start"),
        parse_time(end, "end") if end else None,
        text,
        annotation_id,
    )
    key = open_workspace(config).annotate(note)
    if as_json:
        emit_json({"id": key, "kind": kind, "feature": feature, "start": note.start})
        return
    console.print(f"added {kind} annotation {key}")


def _list(kind: str, config: ConfigOption, feature: str | None, as_json: bool) -> None:
    from rich.table import Table

    rows = open_workspace(config).annotations(kind, feature)  # type: ignore[arg-type]
    if as_json:
        emit_json({"kind": kind, "annotations": rows.to_dicts()})
        return
    if rows.height == 0:
        console.print(f"No {kind} annotations.")
        return
    table = Table("id", "feature", "start", "end", "text", title=f"{kind.title()} annotations")
    for r in rows.iter_rows(named=True):
        end = "" if r["ended_at"] is None else str(r["ended_at"])
        table.add_row(r["annotation_id"], r["feature"], str(r["started_at"]), end, r["text"])
    console.print(table)


def _remove(kind: str, config: ConfigOption, annotation_id: str, as_json: bool) -> None:
    open_workspace(config).remove_annotation(kind, annotation_id)  # type: ignore[arg-type]
    if as_json:
        emit_json({"removed": annotation_id, "kind": kind})
        return
    console.print(f"removed {kind} annotation {annotation_id}")


def _kind_app(kind: str) -> typer.Typer:
    """`add`, `list` and `remove` for one kind of annotation."""
    sub = typer.Typer(help=f"{kind.title()} annotations: add, list, remove.", no_args_is_help=True)

    @sub.command("add")
    @handle_errors
    def add_cmd(
        feature: FeatureOption,
        start: StartOption,
        text: TextOption,
        config: ConfigOption = DEFAULT_CONFIG,
        end: EndOption = None,
        annotation_id: IdOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Add an annotation (feature or 'all', start, optional end, text)."""
        _add(kind, config, feature, start, end, text, annotation_id, as_json)

    @sub.command("list")
    @handle_errors
    def list_cmd(
        config: ConfigOption = DEFAULT_CONFIG,
        feature: ListFeatureOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """List the annotations, oldest first."""
        _list(kind, config, feature, as_json)

    @sub.command("remove")
    @handle_errors
    def remove_cmd(
        annotation_id: Annotated[str, typer.Argument(help="The id to remove.")],
        config: ConfigOption = DEFAULT_CONFIG,
        as_json: JsonOption = False,
    ) -> None:
        """Remove one annotation by id."""
        _remove(kind, config, annotation_id, as_json)

    return sub


annotate_app.add_typer(_kind_app("deployment"), name="deployment")
annotate_app.add_typer(_kind_app("incident"), name="incident")


def register(app: typer.Typer) -> None:
    """Add `vigil annotate` to the app."""
    app.add_typer(annotate_app, name="annotate")
