"""`collectui feedback`, `collectui complaint`, `collectui report`: customer voice and supervisor reports."""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from collectui.cli.common import cli_actor, out, state
from collectui.cli.output import Format, emit_json, emit_rows
from collectui.clock import parse_datetime
from collectui.domain import complaints as complaints_svc
from collectui.domain import feedback as feedback_svc
from collectui.domain import feedback_import  # noqa: F401  (registers the `import feedback` kind)
from collectui.domain import reports as reports_svc
from collectui.domain.errors import UsageError
from collectui.domain.reports import export
from collectui.domain.reports.common import Params

feedback_app = typer.Typer(help="Customer feedback about calls and the bank.", no_args_is_help=True)
complaint_app = typer.Typer(help="Complaints: deadlines, decisions, collection holds.", no_args_is_help=True)


class ReportFormat(str, Enum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def _at(value: Optional[str], tz) -> Optional[datetime]:
    if value is None:
        return None
    try:
        return parse_datetime(value, tz)
    except ValueError:
        raise UsageError(f"--at: expected an ISO 8601 date-time, got {value!r}") from None


def _day(value: Optional[str], hint: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{hint}: expected a date YYYY-MM-DD, got {value!r}") from None


# ---------------------------------------------------------------------------------------------- feedback


@feedback_app.command("add")
def feedback_add(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The customer the feedback is from."),
    sentiment: str = typer.Option(..., "--sentiment", help="positive | neutral | negative"),
    channel: str = typer.Option(..., "--channel", help="call | branch | hotline | sms | survey"),
    category: list[str] = typer.Option([], "--category", help=f"Repeatable: {', '.join(feedback_svc.CATEGORIES)}"),
    satisfaction: Optional[int] = typer.Option(None, "--satisfaction", help="1-5"),
    recommend: Optional[int] = typer.Option(None, "--recommend", help="0-10 (would recommend the bank)"),
    text: Optional[str] = typer.Option(None, "--text", help="What the customer said (numbers in it are masked)."),
    call: Optional[int] = typer.Option(None, "--call", help="The call it is about (sets the collector)."),
    collector: Optional[str] = typer.Option(None, "--collector", help="The collector it is about (username)."),
    at: Optional[str] = typer.Option(None, "--at", help="When it was given (ISO 8601; default now)."),
    user: Optional[str] = typer.Option(None, "--user", help="Who records it (default: the login name)."),
) -> None:
    """Record what a customer said, after a call or on its own."""
    c = state(ctx).ctx()
    cats = tuple(x.strip() for item in category for x in item.split(",") if x.strip())
    inp = feedback_svc.FeedbackInput(customer_id=customer_id, sentiment=sentiment, channel=channel, categories=cats,
                                     satisfaction=satisfaction, recommend=recommend, text=text, call_id=call,
                                     collector=collector, at=_at(at, c.clock.tz))
    fid = feedback_svc.add_feedback(c, cli_actor(user), inp)
    out.print(f"feedback {fid} recorded")


# ---------------------------------------------------------------------------------------------- complaints

USER_OPT = typer.Option(..., "--user", help="Staff username doing this.")


@complaint_app.command("open")
def complaint_open(
    ctx: typer.Context,
    customer_id: str = typer.Argument(...),
    about: str = typer.Option(..., "--about", help="collection | service | other"),
    text: str = typer.Option(..., "--text", help="The complaint in the customer's words."),
    user: str = USER_OPT,
    call: Optional[int] = typer.Option(None, "--call", help="The call complained about."),
    collector: Optional[str] = typer.Option(None, "--collector", help="The collector complained about."),
    at: Optional[str] = typer.Option(None, "--at", help="When it was made (ISO 8601; default now)."),
) -> None:
    """Open a complaint; one about collection puts the borrower on complaint_hold at once."""
    c = state(ctx).ctx()
    cid = complaints_svc.open_complaint(c, user, customer_id, about, text, call, collector, _at(at, c.clock.tz))
    view = complaints_svc.list_complaints(c, customer_id=customer_id)
    due = next((v.due_on for v in view if v.id == cid), None)
    hold = " (borrower on complaint_hold)" if about in c.policy["complaints.hold_about"] else ""
    out.print(f"complaint {cid} opened, decision due {due}{hold}")


def _step(name: str, fn, doc: str, reason_help: str = "Why / what was decided.") -> None:
    def command(
        ctx: typer.Context,
        complaint_id: int = typer.Argument(...),
        user: str = USER_OPT,
        reason: Optional[str] = typer.Option(None, "--reason", help=reason_help),
        at: Optional[str] = typer.Option(None, "--at", help="When (ISO 8601; default now)."),
    ) -> None:
        c = state(ctx).ctx()
        fn(c, user, complaint_id, reason, _at(at, c.clock.tz))
        out.print(f"complaint {complaint_id}: {name} done")

    command.__doc__ = doc
    complaint_app.command(name)(command)


_step("ack", complaints_svc.acknowledge, "Acknowledge receipt of a complaint.")
_step("resolve", complaints_svc.resolve, "Decide: resolved (supervisor/admin). Does not clear a hold.")
_step("reject", complaints_svc.reject, "Decide: rejected, with --reason (supervisor/admin). Does not clear a hold.")
_step("close", complaints_svc.close, "Close a decided complaint (supervisor/admin).")


@complaint_app.command("extend")
def complaint_extend(
    ctx: typer.Context,
    complaint_id: int = typer.Argument(...),
    user: str = USER_OPT,
    reason: str = typer.Option(..., "--reason", help="Why the case needs longer."),
) -> None:
    """Extend the decision deadline once, to 30 days after opening (complex case)."""
    c = state(ctx).ctx()
    complaints_svc.extend(c, user, complaint_id, reason)
    due = next(v.due_on for v in complaints_svc.list_complaints(c) if v.id == complaint_id)
    out.print(f"complaint {complaint_id}: decision now due {due}")


@complaint_app.command("clear-hold")
def complaint_clear_hold(
    ctx: typer.Context,
    complaint_id: int = typer.Argument(...),
    user: str = typer.Option(..., "--user", help="A supervisor or admin."),
    reason: str = typer.Option(..., "--reason", help="Why calls may resume."),
    at: Optional[str] = typer.Option(None, "--at", help="When (ISO 8601; default now)."),
) -> None:
    """Lift the collection hold of a complaint (supervisor/admin only; collectors are refused)."""
    c = state(ctx).ctx()
    complaints_svc.clear_hold(c, user, complaint_id, reason, _at(at, c.clock.tz))
    out.print(f"complaint {complaint_id}: hold cleared")


@complaint_app.command("list")
def complaint_list(
    ctx: typer.Context,
    status: Optional[str] = typer.Option(None, "--status", help="open | acknowledged | resolved | rejected | closed"),
    customer: Optional[str] = typer.Option(None, "--customer", help="Only this customer."),
    open_only: bool = typer.Option(False, "--open", help="Only undecided complaints or active holds."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """Complaints ordered by deadline; overdue ones are flagged."""
    c = state(ctx).ctx()
    views = complaints_svc.list_complaints(c, status=status, customer_id=customer, open_only=open_only)
    rows = [{
        "id": v.id, "customer_id": v.customer_id, "name": v.name, "about": v.about, "status": v.status,
        "opened_on": v.opened_on.isoformat(), "due_on": v.due_on.isoformat(), "days_left": v.days_left,
        "overdue": v.overdue, "extended": v.extended, "hold": v.hold_active, "collector": v.collector,
        "text": v.text,
    } for v in views]
    if fmt is Format.csv:
        for r in rows:
            for key, value in r.items():
                if isinstance(value, str):
                    r[key] = export.safe_text(value)
    if fmt is Format.table:
        for r in rows:
            if r["overdue"]:
                r["due_on"] = f"[bold red]{r['due_on']} OVERDUE[/]"
    cols = ["id", "customer_id", "name", "about", "status", "opened_on", "due_on", "days_left", "overdue",
            "extended", "hold", "collector"]
    emit_rows(rows, cols + (["text"] if fmt is not Format.table else []), fmt, title="complaints")


# ---------------------------------------------------------------------------------------------- reports


def _fmt_cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "–"
    if kind == "rate":
        return f"{float(value) * 100:.2f}%"
    if kind == "money":
        from decimal import Decimal

        return f"{Decimal(str(value)):,.2f}"
    if kind == "points":
        return f"{float(value):.1f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _cell_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _print_section(section) -> None:
    """One row: a two-column list. More columns than fit: several tables, the first column repeated."""
    cells = [[_fmt_cell(row.get(col.key), col.kind) for col in section.columns] for row in section.rows]
    if len(section.rows) == 1:
        table = Table(title=section.title, title_justify="left", show_header=False)
        table.add_column(style="bold")
        table.add_column(justify="right")
        for col, value in zip(section.columns, cells[0], strict=True):
            table.add_row(col.header, value)
        out.print(table)
        return
    widths = [max([_cell_width(col.header)] + [_cell_width(r[i]) for r in cells]) + 3
              for i, col in enumerate(section.columns)]
    room = max(out.width, 60)
    first, rest = 0, list(range(1, len(section.columns)))
    chunks: list[list[int]] = []
    while rest:
        used, chunk = widths[first] + 1, []
        while rest and (not chunk or used + widths[rest[0]] <= room):
            used += widths[rest[0]]
            chunk.append(rest.pop(0))
        chunks.append(chunk)
    for n, chunk in enumerate(chunks or [[]]):
        title = section.title if n == 0 else f"{section.title} ({n + 1})"
        table = Table(title=title, title_justify="left")
        for i in [first, *chunk]:
            col = section.columns[i]
            table.add_column(col.header, justify="left" if col.kind == "text" else "right", no_wrap=True)
        for row in cells:
            table.add_row(*[row[i] for i in [first, *chunk]])
        out.print(table)


def _print_table(report) -> None:
    for section in report.sections:
        if not section.export_only:
            _print_section(section)
    for note in report.notes:
        out.print(f"[yellow]note:[/] {note}")


def report_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="portfolio | migration | activity | compliance | voice"),
    date_from: Optional[str] = typer.Option(None, "--from", help="First day (default: 30 days up to --to)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="As-of date, last day included (default today)."),
    branch: Optional[str] = typer.Option(None, "--branch", help="Only this branch."),
    collector: Optional[str] = typer.Option(None, "--collector", help="Only this collector (username)."),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", help="table | csv | xlsx | json"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write to this file (needed for xlsx).",
                                          dir_okay=False),
) -> None:
    """Supervisor reports; see the README for every formula."""
    if name not in reports_svc.REPORTS:
        raise UsageError(f"unknown report {name!r}; choose one of {', '.join(reports_svc.REPORTS)}")
    if fmt is ReportFormat.xlsx and output is None:
        raise UsageError("--format xlsx needs --output FILE.xlsx")
    if fmt is ReportFormat.table and output is not None:
        raise UsageError("--output needs --format csv, xlsx or json")
    params = Params(_day(date_from, "--from"), _day(date_to, "--to"), branch, collector)
    c = state(ctx).ctx()
    if name in ("portfolio", "migration") and (params.date_to is None or params.date_to == c.clock.today()):
        from collectui.domain.refresh import ensure_current

        ensure_current(c, actor=cli_actor())
    report = reports_svc.run(c, name, params)
    if fmt is ReportFormat.table:
        _print_table(report)
    elif fmt is ReportFormat.json:
        if output:
            output.write_text(export.to_json(report), encoding="utf-8")
        else:
            emit_json(report.data)
    elif fmt is ReportFormat.csv:
        if output:
            with output.open("w", newline="", encoding="utf-8-sig") as fh:
                export.write_csv(report, fh)
        else:
            export.write_csv(report, sys.stdout)
    else:
        export.write_xlsx(report, output)
    if output:
        out.print(f"{name} report written to {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
    app.add_typer(complaint_app, name="complaint")
    app.command("report")(report_cmd)
