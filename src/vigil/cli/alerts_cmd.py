"""CLI: `vigil alerts` — evaluate the alert rules now; send what is new or resolved.

Exit codes: 0 ok (also when a delivery failed: it is logged and recorded in alert_log), 2 bad
config or input (unknown key, an environment variable a destination needs is not set, no
warehouse yet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from vigil.alerts.notify import AlertRun

DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run", help="Only list what would be sent; send nothing and record nothing."
    ),
]


@handle_errors
def alerts(
    config: ConfigOption = DEFAULT_CONFIG,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
) -> None:
    """Evaluate the alert rules; notify the destinations of new and resolved alerts.

    --json: "alerts" are the notices sent (with --dry-run: that would be
    sent): rule, subject, severity, dedup_key, message, action. "firing"
    is every alert firing now, "summary" the counts.
    """
    ws = open_workspace(config)
    run = ws.alerts(dry_run=dry_run)
    if run is None:
        if as_json:
            emit_json({"enabled": False, "dry_run": dry_run, "alerts": [], "firing": []})
        else:
            console.print("Alerts are off (alerts.enabled: false): nothing evaluated.")
        return
    if as_json:
        emit_json(
            {
                "dry_run": dry_run or ws.config.alerts.dry_run,
                "alerts": run.entries(),
                "firing": [a.to_dict() for a in run.firing()],
                "summary": run.summary(),
            }
        )
        return
    _print(run, dry_run)


def _print(run: AlertRun, dry_run: bool) -> None:
    from rich.table import Table

    summary = run.summary()
    entries = run.entries()
    verb = "Would send" if dry_run else "Sent"
    if not entries:
        console.print(f"No new or resolved alerts ({summary['firing']} firing, already notified).")
    else:
        table = Table("action", "severity", "rule", "subject", "message", title=f"{verb}")
        for e in entries:
            action = e["action"] + (" (dry run)" if e["dry_run"] else "")
            table.add_row(action, e["severity"], e["rule"], e["subject"], e["message"])
        console.print(table)
    if summary["failed"]:
        console.print(
            f"[red]{summary['failed']} deliveries failed[/] (recorded in alert_log; the next "
            "run tries again)."
        )
    if summary["held"]:
        console.print(f"{summary['held']} alerts held by the cooldown.")


def register(app: typer.Typer) -> None:
    """Add this area's command to the app."""
    app.command("alerts")(alerts)
