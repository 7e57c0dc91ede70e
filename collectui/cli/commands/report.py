"""`collectui report NAME`: supervisor reports as a table, CSV, XLSX or JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import emit_json, money_text
from collectui.cli.report_words import localised, note_words
from collectui.cli.values import output_file, parse_day
from collectui.domain import reports as reports_svc
from collectui.domain.errors import UsageError
from collectui.domain.reports import export
from collectui.domain.reports.common import Params, Report, Section
from collectui.domain.said import said
from collectui.domain.staff.permissions import authorize_staff, reading_scope
from collectui.domain.textsafe import show


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def _fmt_cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "–"
    if kind == "rate":
        return f"{float(value) * 100:.2f}%"
    if kind == "money":  # as the app shows money: '¥1,234.50' (CSV, xlsx and JSON keep plain numbers)
        return money_text(value)
    if kind == "points":
        return f"{float(value):.1f}"
    if isinstance(value, bool):
        return lang.t("rpt.value.yes") if value else lang.t("rpt.value.no")
    return str(value)


def _cell_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _print_section(section: Section) -> None:
    """One row: a two-column list. More columns than fit: several tables, the first column repeated."""
    cells = [[_fmt_cell(row.get(col.key), col.kind) for col in section.columns] for row in section.rows]
    if len(section.rows) == 1:
        table = Table(title=section.title, title_justify="left", show_header=False)
        table.add_column(style="bold")
        table.add_column(justify="right")
        for col, value in zip(section.columns, cells[0], strict=True):
            table.add_row(escape(show(col.header)), escape(show(value)))
        out.print(table)
        return
    widths = [
        max([_cell_width(col.header)] + [_cell_width(r[i]) for r in cells]) + 3 for i, col in enumerate(section.columns)
    ]
    room = max(out.width, 60)
    first, rest = 0, list(range(1, len(section.columns)))
    chunks: list[list[int]] = []
    while rest:
        used = widths[first] + 1
        chunk: list[int] = []
        while rest and (not chunk or used + widths[rest[0]] <= room):
            used += widths[rest[0]]
            chunk.append(rest.pop(0))
        chunks.append(chunk)
    for n, chunk in enumerate(chunks or [[]]):
        title = section.title if n == 0 else lang.t("rpt.part", title=section.title, n=n + 1)
        table = Table(title=title, title_justify="left")
        for i in [first, *chunk]:
            col = section.columns[i]
            table.add_column(col.header, justify="left" if col.kind == "text" else "right", no_wrap=True)
        for row in cells:
            table.add_row(*[escape(show(row[i])) for i in [first, *chunk]])
        out.print(table)


def _print_table(report: Report) -> None:
    for section in report.sections:
        if not section.export_only:
            _print_section(section)
    sep = "" if lang.lang() == "zh" else " "  # "说明：" ends in a full-width colon
    for note in report.notes:
        out.print(f"[yellow]{escape(lang.t('rpt.note.label'))}[/]{sep}{escape(show(note_words(note)))}")


def report_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="portfolio | migration | activity | compliance | voice | training"),
    date_from: str | None = typer.Option(None, "--from", help="First day (default: 30 days up to --to)."),
    date_to: str | None = typer.Option(None, "--to", help="As-of date, last day included (default today)."),
    branch: str | None = typer.Option(None, "--branch", help="Only this branch."),
    collector: str | None = typer.Option(None, "--collector", help="Only this collector (username)."),
    trainee: str | None = typer.Option(None, "--trainee", help="training: only this trainee (username)."),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", help="table | csv | xlsx | json"),
    output: Path | None = typer.Option(None, "--output", help="Write to this file (needed for xlsx).", dir_okay=False),
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file (never a database)."),
) -> None:
    """Supervisor and trainer reports; every formula is in docs/admin/reports.md."""
    if name not in reports_svc.REPORTS and name != "training":
        names = ", ".join((*reports_svc.REPORTS, "training"))
        english = f"unknown report {name!r}; choose one of {names}"
        raise UsageError(said("cli.err.report_unknown", english, name=repr(name), names=names))
    if trainee is not None and name != "training":
        raise UsageError(said("cli.err.report_trainee", "--trainee is an option of the training report only"))
    if name == "training" and (branch or collector):
        english = "the training report takes --trainee, not --branch or --collector"
        raise UsageError(said("cli.err.report_training_filters", english))
    if fmt is ReportFormat.xlsx and output is None:
        raise UsageError(said("cli.err.report_xlsx", "--format xlsx needs --output FILE.xlsx"))
    if fmt is ReportFormat.table and output is not None:
        raise UsageError(said("cli.err.report_output", "--output needs --format csv, xlsx or json"))
    output_file(output, state(ctx).db_path, force)  # refused before the database is opened
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    if name == "training":  # a trainer's report too: its own permission and scope (reports.training)
        from collectui.domain.reports import training

        found = training.training_report(
            c, actor, trainee=trainee, date_from=parse_day(date_from, "--from"), date_to=parse_day(date_to, "--to")
        )
        _emit(training.as_report(found), fmt, output, force, c.db.path)
        return
    # Reports are a supervisor's; one bound to a branch reports on it only (another is refused, audited).
    branch = reading_scope(c, actor, "report.read", branch)
    if collector:  # another branch's collector is another branch's figures
        authorize_staff(c, actor, "report.read", collector)
    params = Params(parse_day(date_from, "--from"), parse_day(date_to, "--to"), branch, collector)
    current = params.date_to is None or params.date_to == c.clock.today()
    if name in ("portfolio", "migration") and current and not c.db.read_only:  # read-only: the stored state
        from collectui.domain.portfolio.refresh import ensure_current

        ensure_current(c, actor=actor.name)
    _emit(reports_svc.run(c, name, params), fmt, output, force, c.db.path)


def _emit(report: Report, fmt: ReportFormat, output: Path | None, force: bool, db_path: Path) -> None:
    """The report in the asked format, on the terminal or in a private ``--output`` file. JSON is for programs
    and stays English; the table, CSV and xlsx read in the run's language (cli/report_words)."""
    shown = report if fmt is ReportFormat.json else localised(report)
    if fmt is ReportFormat.table:
        _print_table(shown)
    elif fmt is ReportFormat.json:
        if output:
            export.write_json(report, output, protected=[db_path], force=force)
        else:
            emit_json(report.data)
    elif fmt is ReportFormat.csv:
        if output:
            export.write_csv_file(shown, output, protected=[db_path], force=force)
        else:
            export.write_csv(shown, sys.stdout)
    else:
        assert output is not None  # xlsx without --output was refused above
        export.write_xlsx(shown, output, protected=[db_path], force=force)
    if output:
        name = lang.t(f"rpt.name.{report.name}")
        out.print(escape(lang.t("rpt.written", name=name, path=show(str(output)))))


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
